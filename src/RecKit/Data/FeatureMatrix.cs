namespace RecKit.Data;

/// <summary>
/// Sparse features with named columns, one row per index of an <see cref="IdMap"/> (users or items):
/// genres as multi-hot, tags as counts, demographics as one-hot. Rows of ids without features are empty.
/// </summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(CsrMatrix values, IReadOnlyList<string> columns)
    {
        if (values.ColumnCount != columns.Count)
        {
            throw new ArgumentException($"{columns.Count} column names for {values.ColumnCount} columns.");
        }

        Values = values;
        Columns = columns;
    }

    public CsrMatrix Values { get; }

    public IReadOnlyList<string> Columns { get; }

    public int RowCount => Values.RowCount;

    /// <summary>Rows holding at least one feature.</summary>
    public int RowsWithFeatures
    {
        get
        {
            var n = 0;
            for (var r = 0; r < Values.RowCount; r++)
            {
                n += Values.RowLength(r) > 0 ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>
    /// Each row's labels: the names of its indicator columns — categorical and multi-valued values ("genre=Rock",
    /// MovieLens genres such as "Comedy"); numeric columns, missing-value flags and text words are left out.
    /// </summary>
    public IReadOnlyList<string>[] LabelsPerRow()
    {
        var indicator = new bool[Columns.Count];
        for (var c = 0; c < Columns.Count; c++)
        {
            indicator[c] = !Columns[c].Contains(':', StringComparison.Ordinal);
        }

        var columns = Values.ColumnIndices;
        var values = Values.Values;
        for (var k = 0; k < columns.Length; k++)
        {
            if (!Columns[columns[k]].Contains('=', StringComparison.Ordinal) && values[k] != 1f)
            {
                indicator[columns[k]] = false; // a numeric column: its values are not all 1
            }
        }

        var labels = new IReadOnlyList<string>[RowCount];
        for (var r = 0; r < RowCount; r++)
        {
            var row = new List<string>();
            foreach (var c in Values.RowColumns(r))
            {
                if (indicator[c])
                {
                    row.Add(Columns[c]);
                }
            }

            labels[r] = row;
        }

        return labels;
    }

    /// <summary>How many rows carry each column (e.g. movies per genre).</summary>
    public IReadOnlyList<(string Column, int Count)> ColumnCounts()
    {
        var counts = new int[Columns.Count];
        foreach (var c in Values.ColumnIndices)
        {
            counts[c]++;
        }

        return Columns.Select((name, c) => (name, counts[c])).ToList();
    }

    /// <summary>Builds a matrix from (row, column name, value) triples; columns are numbered in order of first appearance.</summary>
    public static FeatureMatrix FromTriples(int rows, IEnumerable<(int Row, string Column, float Value)> triples, IEnumerable<string>? fixedColumns = null)
    {
        var columns = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in fixedColumns ?? [])
        {
            index[name] = columns.Count;
            columns.Add(name);
        }

        var r = new List<int>();
        var c = new List<int>();
        var v = new List<float>();
        foreach (var (row, column, value) in triples)
        {
            if (!index.TryGetValue(column, out var col))
            {
                col = index[column] = columns.Count;
                columns.Add(column);
            }

            r.Add(row);
            c.Add(col);
            v.Add(value);
        }

        return new FeatureMatrix(CsrMatrix.FromCoordinates(rows, columns.Count, r.ToArray(), c.ToArray(), v.ToArray()), columns);
    }
}
