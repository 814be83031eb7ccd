namespace RecKit.Data;

/// <summary>
/// An immutable sparse matrix in compressed-sparse-row form. Column indices within a row are sorted
/// ascending and unique, so a row can be searched by binary search and merged in order.
/// </summary>
public sealed class CsrMatrix
{
    private readonly int[] _rowPointers;
    private readonly int[] _columns;
    private readonly float[] _values;

    /// <summary>Wraps arrays the caller hands over; they must already satisfy the CSR invariants.</summary>
    public CsrMatrix(int rows, int columns, int[] rowPointers, int[] columnIndices, float[] values)
    {
        if (rowPointers.Length != rows + 1 || columnIndices.Length != values.Length || rowPointers[rows] != values.Length)
        {
            throw new ArgumentException("Inconsistent CSR arrays.");
        }

        RowCount = rows;
        ColumnCount = columns;
        _rowPointers = rowPointers;
        _columns = columnIndices;
        _values = values;
    }

    public int RowCount { get; }

    public int ColumnCount { get; }

    public int NonZeroCount => _values.Length;

    public ReadOnlySpan<int> RowPointers => _rowPointers;

    public ReadOnlySpan<int> ColumnIndices => _columns;

    public ReadOnlySpan<float> Values => _values;

    public int RowLength(int row) => _rowPointers[row + 1] - _rowPointers[row];

    /// <summary>Column indices of one row, ascending.</summary>
    public ReadOnlySpan<int> RowColumns(int row) => _columns.AsSpan(_rowPointers[row], _rowPointers[row + 1] - _rowPointers[row]);

    /// <summary>Values of one row, aligned with <see cref="RowColumns"/>.</summary>
    public ReadOnlySpan<float> RowValues(int row) => _values.AsSpan(_rowPointers[row], _rowPointers[row + 1] - _rowPointers[row]);

    /// <summary>The dot product of one row with a dense vector indexed by column.</summary>
    public float RowDot(int row, ReadOnlySpan<float> dense)
    {
        var columns = RowColumns(row);
        var values = RowValues(row);
        var sum = 0f;
        for (var j = 0; j < columns.Length; j++)
        {
            sum += dense[columns[j]] * values[j];
        }

        return sum;
    }

    /// <summary>True when (row, column) is stored.</summary>
    public bool Contains(int row, int column) => RowColumns(row).BinarySearch(column) >= 0;

    /// <summary>The stored value at (row, column), or 0 when absent.</summary>
    public float Get(int row, int column)
    {
        var k = RowColumns(row).BinarySearch(column);
        return k >= 0 ? RowValues(row)[k] : 0f;
    }

    /// <summary>Joins rows built one by one (each row's columns ascending and unique, its values beside them) into one matrix.</summary>
    internal static CsrMatrix FromRows(int columns, int[][] rowColumns, float[][] rowValues)
    {
        var rows = rowColumns.Length;
        var pointers = new int[rows + 1];
        for (var r = 0; r < rows; r++)
        {
            pointers[r + 1] = pointers[r] + rowColumns[r].Length;
        }

        var allColumns = new int[pointers[rows]];
        var allValues = new float[pointers[rows]];
        for (var r = 0; r < rows; r++)
        {
            rowColumns[r].CopyTo(allColumns, pointers[r]);
            rowValues[r].CopyTo(allValues, pointers[r]);
        }

        return new CsrMatrix(rows, columns, pointers, allColumns, allValues);
    }

    /// <summary>
    /// Builds a CSR matrix from coordinates in any order by counting sort (O(nnz + rows + columns)).
    /// Duplicate coordinates are summed.
    /// </summary>
    public static CsrMatrix FromCoordinates(int rows, int columns, ReadOnlySpan<int> rowIndex, ReadOnlySpan<int> columnIndex, ReadOnlySpan<float> values)
    {
        var n = rowIndex.Length;
        // Sort by column first (stable), then scatter into rows: rows come out with ascending columns.
        var colPtr = Pointers(columnIndex, columns);

        var byColumn = new int[n];
        var next = colPtr.AsSpan(0, columns).ToArray();
        for (var k = 0; k < n; k++)
        {
            byColumn[next[columnIndex[k]]++] = k;
        }

        var rowPtr = Pointers(rowIndex, rows);

        var cols = new int[n];
        var vals = new float[n];
        var fill = rowPtr.AsSpan(0, rows).ToArray();
        foreach (var k in byColumn)
        {
            var r = rowIndex[k];
            var at = fill[r];
            if (at > rowPtr[r] && cols[at - 1] == columnIndex[k])
            {
                vals[at - 1] += values[k];
                continue;
            }

            cols[at] = columnIndex[k];
            vals[at] = values[k];
            fill[r] = at + 1;
        }

        if (!fill.AsSpan().SequenceEqual(rowPtr.AsSpan(1)))
        {
            return Compact(rows, columns, rowPtr, fill, cols, vals);
        }

        return new CsrMatrix(rows, columns, rowPtr, cols, vals);
    }

    /// <summary>The same sparsity pattern with other values (one per stored entry); the pattern's arrays are shared, not copied.</summary>
    public CsrMatrix WithValues(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Length == NonZeroCount
            ? new CsrMatrix(RowCount, ColumnCount, _rowPointers, _columns, values)
            : throw new ArgumentException($"Expected {NonZeroCount} values, got {values.Length}.", nameof(values));
    }

    /// <summary>The transpose (columns × rows), e.g. items × users from users × items.</summary>
    /// <remarks>
    /// One counting sort straight into the result's arrays (no coordinate copies): rows are visited in order, so each
    /// output row receives its columns already ascending.
    /// </remarks>
    public CsrMatrix Transpose() => Transpose(Environment.ProcessorCount);

    /// <summary>
    /// The transpose, made by <paramref name="threads"/> workers over contiguous ranges of rows: each counts its range's
    /// entries per column, and writes them from its own offset inside every column, after the ranges before it; the
    /// result is the same for any number of workers (rows ascending within each column).
    /// </summary>
    public CsrMatrix Transpose(int threads) => TransposeBy(NonZeroCount < 1 << 20 ? 1 : threads); // small: not worth a second thread

    internal CsrMatrix TransposeBy(int workers)
    {
        workers = Math.Clamp(workers, 1, Math.Max(1, RowCount));
        var bounds = new int[workers + 1];
        for (var w = 1; w <= workers; w++)
        {
            bounds[w] = (int)((long)RowCount * w / workers);
        }

        // counts[w][c]: entries of column c in worker w's rows; then, in place, where worker w starts writing column c.
        var counts = new int[workers][];
        Parallel.For(0, workers, w =>
        {
            var own = counts[w] = new int[ColumnCount];
            for (var k = _rowPointers[bounds[w]]; k < _rowPointers[bounds[w + 1]]; k++)
            {
                own[_columns[k]]++;
            }
        });
        var pointers = new int[ColumnCount + 1];
        for (var c = 0; c < ColumnCount; c++)
        {
            var at = pointers[c];
            for (var w = 0; w < workers; w++)
            {
                var count = counts[w][c];
                counts[w][c] = at;
                at += count;
            }

            pointers[c + 1] = at;
        }

        var rows = new int[NonZeroCount];
        var values = new float[NonZeroCount];
        Parallel.For(0, workers, w =>
        {
            var fill = counts[w];
            for (var r = bounds[w]; r < bounds[w + 1]; r++)
            {
                for (var k = _rowPointers[r]; k < _rowPointers[r + 1]; k++)
                {
                    var at = fill[_columns[k]]++;
                    rows[at] = r;
                    values[at] = _values[k];
                }
            }
        });
        return new CsrMatrix(ColumnCount, RowCount, pointers, rows, values);
    }

    /// <summary>
    /// Wraps coordinates that are already sorted by (row, column) with no repeats, sharing the column and value
    /// arrays instead of copying them; null when they are not in that order (the caller then builds by sorting).
    /// </summary>
    internal static CsrMatrix? FromSortedCoordinates(int rows, int columns, ReadOnlySpan<int> rowIndex, int[] columnIndex, float[] values)
    {
        if (columnIndex.Length != rowIndex.Length || values.Length != rowIndex.Length)
        {
            return null;
        }

        for (var k = 1; k < rowIndex.Length; k++)
        {
            if (rowIndex[k] < rowIndex[k - 1] || (rowIndex[k] == rowIndex[k - 1] && columnIndex[k] <= columnIndex[k - 1]))
            {
                return null;
            }
        }

        var pointers = Pointers(rowIndex, rows);
        return new CsrMatrix(rows, columns, pointers, columnIndex, values);
    }

    /// <summary>Where each of <paramref name="size"/> rows starts when entries are grouped by the given row indices.</summary>
    private static int[] Pointers(ReadOnlySpan<int> indices, int size)
    {
        var pointers = new int[size + 1];
        foreach (var i in indices)
        {
            pointers[i + 1]++;
        }

        for (var i = 0; i < size; i++)
        {
            pointers[i + 1] += pointers[i];
        }

        return pointers;
    }

    private static CsrMatrix Compact(int rows, int columns, int[] rowPtr, int[] fill, int[] cols, float[] vals)
    {
        // Duplicates were merged, leaving gaps at the end of some rows: close them.
        var newPtr = new int[rows + 1];
        for (var r = 0; r < rows; r++)
        {
            newPtr[r + 1] = newPtr[r] + (fill[r] - rowPtr[r]);
        }

        var newCols = new int[newPtr[rows]];
        var newVals = new float[newPtr[rows]];
        for (var r = 0; r < rows; r++)
        {
            var len = fill[r] - rowPtr[r];
            Array.Copy(cols, rowPtr[r], newCols, newPtr[r], len);
            Array.Copy(vals, rowPtr[r], newVals, newPtr[r], len);
        }

        return new CsrMatrix(rows, columns, newPtr, newCols, newVals);
    }
}
