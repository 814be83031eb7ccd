using System.Runtime.CompilerServices;

namespace RecKit.Kernels;

/// <summary>
/// Top-k cosine neighbours of every row of a sparse matrix, from the matrix (rows × columns, CSR) and its
/// transpose, without a dense rows × rows matrix: for row i, dot products with every row sharing a column are
/// accumulated into a per-thread dense buffer, and only the rows touched are ranked.
/// </summary>
public static class SparseCosine
{
    /// <returns>Per row, its k most similar rows (positive similarities only) as a CSR of similarities.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Data.CsrMatrix TopNeighbours(Data.CsrMatrix rows, Data.CsrMatrix transpose, int k, double shrink, int threads)
    {
        var n = rows.RowCount;
        var norms = new float[n];
        for (var i = 0; i < n; i++)
        {
            norms[i] = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(rows.RowValues(i)));
        }

        var neighbours = new int[n][];
        var similarities = new float[n][];
        WorkerLoop.For(
            n,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => (Dot: new float[n], Count: new int[n], Touched: new List<int>(), Scores: new List<float>()),
            (i, b) =>
            {
                var columns = rows.RowColumns(i);
                var values = rows.RowValues(i);
                for (var c = 0; c < columns.Length; c++)
                {
                    var others = transpose.RowColumns(columns[c]);
                    var otherValues = transpose.RowValues(columns[c]);
                    var w = values[c];
                    for (var o = 0; o < others.Length; o++)
                    {
                        var j = others[o];
                        if (b.Count[j]++ == 0)
                        {
                            b.Touched.Add(j);
                        }

                        b.Dot[j] += w * otherValues[o];
                    }
                }

                b.Scores.Clear();
                foreach (var j in b.Touched)
                {
                    var denominator = norms[i] * norms[j];
                    var similarity = j == i || denominator == 0 ? float.NegativeInfinity : b.Dot[j] / denominator;
                    if (shrink > 0)
                    {
                        similarity *= (float)(b.Count[j] / (b.Count[j] + shrink));
                    }

                    b.Scores.Add(similarity > 0 ? similarity : float.NegativeInfinity);
                    b.Dot[j] = 0;
                    b.Count[j] = 0;
                }

                var positions = new int[Math.Min(k, b.Touched.Count)];
                var top = new float[positions.Length];
                var found = TopK.Select(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(b.Scores), positions.Length, positions, top);
                var ids = new int[found];
                for (var t = 0; t < found; t++)
                {
                    ids[t] = b.Touched[positions[t]];
                }

                var sims = top[..found];
                Array.Sort(ids, sims); // keep the CSR invariant: columns ascending
                neighbours[i] = ids;
                similarities[i] = sims;
                b.Touched.Clear();
            });

        var pointers = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            pointers[i + 1] = pointers[i] + neighbours[i].Length;
        }

        var allColumns = new int[pointers[n]];
        var allValues = new float[pointers[n]];
        for (var i = 0; i < n; i++)
        {
            neighbours[i].CopyTo(allColumns, pointers[i]);
            similarities[i].CopyTo(allValues, pointers[i]);
        }

        return new Data.CsrMatrix(n, n, pointers, allColumns, allValues);
    }
}
