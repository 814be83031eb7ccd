using RecKit.Data;

namespace RecKit.Tests.Data;

public class CsrMatrixTests
{
    private static (int[] Rows, int[] Columns, float[] Values) RandomCoordinates(Random random, int rows, int columns, int count)
    {
        var r = Enumerable.Range(0, count).Select(_ => random.Next(rows)).ToArray();
        var c = Enumerable.Range(0, count).Select(_ => random.Next(columns)).ToArray();
        var v = Enumerable.Range(0, count).Select(_ => (float)random.Next(1, 6)).ToArray();
        return (r, c, v);
    }

    private static void AssertSame(CsrMatrix expected, CsrMatrix actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        Assert.Equal(expected.RowPointers.ToArray(), actual.RowPointers.ToArray());
        Assert.Equal(expected.ColumnIndices.ToArray(), actual.ColumnIndices.ToArray());
        Assert.Equal(expected.Values.ToArray(), actual.Values.ToArray());
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 13, 40)]
    [InlineData(50, 20, 600)]
    public void Transpose_AgreesWithBuildingFromSwappedCoordinates(int rows, int columns, int count)
    {
        var random = new Random(rows * 100 + columns);
        var (r, c, v) = RandomCoordinates(random, rows, columns, count);
        var matrix = CsrMatrix.FromCoordinates(rows, columns, r, c, v);
        var rowOf = new int[matrix.NonZeroCount];
        for (var row = 0; row < rows; row++)
        {
            rowOf.AsSpan(matrix.RowPointers[row], matrix.RowLength(row)).Fill(row);
        }

        var reference = CsrMatrix.FromCoordinates(columns, rows, matrix.ColumnIndices, rowOf, matrix.Values);
        var transposed = matrix.Transpose();
        AssertSame(reference, transposed);
        AssertSame(matrix, transposed.Transpose());
        foreach (var workers in new[] { 2, 3, 7 })
        {
            AssertSame(reference, matrix.TransposeBy(workers)); // row ranges per worker: the same matrix
        }
    }

    [Fact]
    public void ByUser_OfSortedInteractions_SharesTheirArraysAndEqualsTheSortedBuild()
    {
        var random = new Random(3);
        var (r, c, v) = RandomCoordinates(random, 30, 40, 500);
        var reference = CsrMatrix.FromCoordinates(30, 40, r, c, v);
        var users = new int[reference.NonZeroCount];
        for (var row = 0; row < 30; row++)
        {
            users.AsSpan(reference.RowPointers[row], reference.RowLength(row)).Fill(row);
        }

        var items = reference.ColumnIndices.ToArray();
        var values = reference.Values.ToArray();
        var maps = (Users: IdMap.FromIds(Enumerable.Range(0, 30).Select(i => $"u{i}")), Items: IdMap.FromIds(Enumerable.Range(0, 40).Select(i => $"i{i}")));
        var sorted = new Interactions(maps.Users, maps.Items, users, items, values, null, meaning: ValueMeaning.Ratings);
        AssertSame(reference, sorted.ByUser);
        Assert.True(sorted.ByUser.ColumnIndices == items.AsSpan(), "sorted interactions should not be copied");

        // Out of order: built by sorting, same matrix.
        var order = Enumerable.Range(0, users.Length).OrderBy(_ => random.Next()).ToArray();
        var shuffled = new Interactions(maps.Users, maps.Items, order.Select(k => users[k]).ToArray(), order.Select(k => items[k]).ToArray(), order.Select(k => values[k]).ToArray(), null, meaning: ValueMeaning.Ratings);
        AssertSame(reference, shuffled.ByUser);
    }
}
