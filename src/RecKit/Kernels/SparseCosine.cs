using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RecKit.Kernels;

/// <summary>
/// Top-k cosine neighbours of every row of a sparse matrix, from the matrix (rows × columns, CSR) and its
/// transpose, without a dense rows × rows matrix: for row i, dot products with every row sharing a column are
/// accumulated into a per-thread dense buffer, and only the best k are kept.
/// </summary>
/// <remarks>
/// Two accumulation modes, picked per row from an upper bound on the rows it can touch. A row that reaches a large
/// share of the others (the popular items that make up most of the work) accumulates with a bare scatter-add, no
/// bookkeeping per pair, and is then ranked by vector passes over the whole buffer; a row that reaches few keeps a
/// list of the rows it touched. Co-occurrence counts (for shrinkage) are the dot products themselves when every value
/// is 1, and are only counted separately for weighted data. Rows are handed out most expensive first so that no core
/// idles at the end. Ties rank the lower index first in both modes.
/// </remarks>
internal static class SparseCosine
{
    /// <returns>Per row, its k most similar rows (positive similarities only) as a CSR of similarities.</returns>
    public static Data.CsrMatrix TopNeighbours(Data.CsrMatrix rows, Data.CsrMatrix transpose, int k, double shrink, int threads)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(transpose);
        var n = rows.RowCount;
        var inverseNorms = new float[n];
        var reach = new long[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares(rows.RowValues(i)));
            inverseNorms[i] = norm > 0 ? 1 / norm : 0;
            foreach (var c in rows.RowColumns(i))
            {
                reach[i] += transpose.RowLength(c);
            }
        });

        var binary = IsBinary(transpose.Values);
        var uniform = UniformRows(transpose);
        var narrow = n <= ushort.MaxValue + 1 ? Narrow(transpose.ColumnIndices) : null;
        var countSeparately = shrink > 0 && !binary;
        var order = Enumerable.Range(0, n).ToArray();
        var costs = reach.ToArray();
        Array.Sort(costs, order);
        Array.Reverse(order);

        var neighbours = new int[n][];
        var similarities = new float[n][];
        WorkerLoop.For(
            n,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new Scratch(n, countSeparately),
            (index, b) =>
            {
                var i = order[index];
                var dense = reach[i] >= n / 4;
                if (dense)
                {
                    AccumulateDense(rows, transpose, uniform, narrow, i, b.Dot, b.Alternate, countSeparately ? b.Count : null);
                }
                else
                {
                    AccumulateSparse(rows, transpose, i, b);
                }

                var kept = dense ? RankDense(i, k, shrink, binary, inverseNorms, b) : RankSparse(i, k, shrink, binary, inverseNorms, b);
                var ids = b.Positions.AsSpan(0, kept).ToArray();
                var sims = b.Top.AsSpan(0, kept).ToArray();
                Array.Sort(ids, sims); // the CSR invariant: columns ascending
                neighbours[i] = ids;
                similarities[i] = sims;
            });

        return Data.CsrMatrix.FromRows(n, neighbours, similarities);
    }

    /// <summary>
    /// The transpose's column indices in 16 bits (catalogues of up to 65,536 rows): the dense accumulation streams every
    /// user's list of items once per item of theirs, and half the bytes is half the memory traffic of the build's hot loop.
    /// </summary>
    private static ushort[] Narrow(ReadOnlySpan<int> columns)
    {
        var narrow = new ushort[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            narrow[c] = (ushort)columns[c];
        }

        return narrow;
    }

    /// <summary>Per row of the transpose, its one value when all its values are equal (per-user weights), else NaN.</summary>
    private static float[] UniformRows(Data.CsrMatrix transpose)
    {
        var uniform = new float[transpose.RowCount];
        for (var r = 0; r < uniform.Length; r++)
        {
            var values = transpose.RowValues(r);
            uniform[r] = values.IsEmpty ? 0 : values[0];
            foreach (var v in values)
            {
                if (v != uniform[r])
                {
                    uniform[r] = float.NaN;
                    break;
                }
            }
        }

        return uniform;
    }

    private static bool IsBinary(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (v != 1f)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>dot[j] += w·v for every pair sharing a column: a bare scatter, four pairs an iteration.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateDense(Data.CsrMatrix rows, Data.CsrMatrix transpose, float[] uniform, ushort[]? narrow, int i, float[] dot, float[]? alternate, int[]? count)
    {
        var columns = rows.RowColumns(i);
        var values = rows.RowValues(i);
        var pointers = transpose.RowPointers;
        ref var sums = ref MemoryMarshal.GetArrayDataReference(dot);
        for (var c = 0; c < columns.Length; c++)
        {
            var others = transpose.RowColumns(columns[c]);
            var otherValues = transpose.RowValues(columns[c]);
            var w = values[c];
            ref var o0 = ref MemoryMarshal.GetReference(others);
            ref var v0 = ref MemoryMarshal.GetReference(otherValues);
            var o = 0;
            if (!float.IsNaN(uniform[columns[c]]))
            {
                // One weight for the whole row (a user's weight): the same addend for every pair.
                var s = w * uniform[columns[c]];
                if (narrow is not null)
                {
                    ref var n0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(narrow), pointers[columns[c]]);
                    // Consecutive users share their popular items: alternating buffers keeps one user's increment of an
                    // item from waiting on the previous user's (12% faster on the MovieLens-20M shape); ranked as their sum.
                    ref var target = ref (c & 1) == 0 ? ref sums : ref MemoryMarshal.GetArrayDataReference(alternate!);
                    for (; o + 4 <= others.Length; o += 4)
                    {
                        Unsafe.Add(ref target, Unsafe.Add(ref n0, o)) += s;
                        Unsafe.Add(ref target, Unsafe.Add(ref n0, o + 1)) += s;
                        Unsafe.Add(ref target, Unsafe.Add(ref n0, o + 2)) += s;
                        Unsafe.Add(ref target, Unsafe.Add(ref n0, o + 3)) += s;
                    }

                    for (; o < others.Length; o++)
                    {
                        Unsafe.Add(ref target, Unsafe.Add(ref n0, o)) += s;
                    }
                }
                else
                {
                    for (; o + 4 <= others.Length; o += 4)
                    {
                        Unsafe.Add(ref sums, Unsafe.Add(ref o0, o)) += s;
                        Unsafe.Add(ref sums, Unsafe.Add(ref o0, o + 1)) += s;
                        Unsafe.Add(ref sums, Unsafe.Add(ref o0, o + 2)) += s;
                        Unsafe.Add(ref sums, Unsafe.Add(ref o0, o + 3)) += s;
                    }
                }
            }

            for (; o + 4 <= others.Length; o += 4)
            {
                Unsafe.Add(ref sums, Unsafe.Add(ref o0, o)) += w * Unsafe.Add(ref v0, o);
                Unsafe.Add(ref sums, Unsafe.Add(ref o0, o + 1)) += w * Unsafe.Add(ref v0, o + 1);
                Unsafe.Add(ref sums, Unsafe.Add(ref o0, o + 2)) += w * Unsafe.Add(ref v0, o + 2);
                Unsafe.Add(ref sums, Unsafe.Add(ref o0, o + 3)) += w * Unsafe.Add(ref v0, o + 3);
            }

            for (; o < others.Length; o++)
            {
                Unsafe.Add(ref sums, Unsafe.Add(ref o0, o)) += w * Unsafe.Add(ref v0, o);
            }

            if (count is not null)
            {
                foreach (var j in others)
                {
                    count[j]++;
                }
            }
        }
    }

    /// <summary>The same sums, recording each row touched for the first time.</summary>
    private static void AccumulateSparse(Data.CsrMatrix rows, Data.CsrMatrix transpose, int i, Scratch b)
    {
        var columns = rows.RowColumns(i);
        var values = rows.RowValues(i);
        var touched = 0;
        for (var c = 0; c < columns.Length; c++)
        {
            var others = transpose.RowColumns(columns[c]);
            var otherValues = transpose.RowValues(columns[c]);
            var w = values[c];
            for (var o = 0; o < others.Length; o++)
            {
                var j = others[o];
                if (!b.Seen[j])
                {
                    b.Seen[j] = true;
                    b.Touched[touched++] = j;
                }

                b.Dot[j] += w * otherValues[o];
                if (b.Count.Length > 0)
                {
                    b.Count[j]++;
                }
            }
        }

        b.TouchedCount = touched; // in the order first touched: the selection ranks ties by the lower index itself
    }

    /// <summary>Similarities of every row from the whole buffer (vector passes), the best k kept; the buffer is left zeroed.</summary>
    private static int RankDense(int i, int k, double shrink, bool binary, float[] inverseNorms, Scratch b)
    {
        var dot = b.Dot.AsSpan();
        TensorPrimitives.Add(dot, b.Alternate, dot);
        b.Alternate.AsSpan().Clear();
        var scores = b.Scores.AsSpan(0, dot.Length);
        if (shrink > 0)
        {
            // count / (count + shrink), with count = dot for binary data.
            var counts = scores;
            if (binary)
            {
                dot.CopyTo(counts);
            }
            else
            {
                for (var j = 0; j < counts.Length; j++)
                {
                    counts[j] = b.Count[j];
                }

                b.Count.AsSpan().Clear();
            }

            TensorPrimitives.Add(counts, (float)shrink, b.Shrunk);
            TensorPrimitives.Divide(counts, b.Shrunk, b.Shrunk);
            TensorPrimitives.Multiply(dot, b.Shrunk, scores);
            TensorPrimitives.Multiply(scores, inverseNorms, scores);
        }
        else
        {
            TensorPrimitives.Multiply(dot, inverseNorms, scores);
        }

        TensorPrimitives.Multiply(scores, inverseNorms[i], scores);
        dot.Clear();
        scores[i] = float.NegativeInfinity;
        var found = TopK.Select(scores, Math.Min(k, scores.Length), b.Positions);
        var positive = 0;
        for (; positive < found && scores[b.Positions[positive]] > 0; positive++)
        {
            b.Top[positive] = scores[b.Positions[positive]]; // best first: the rest are zero (untouched) or below
        }

        return positive;
    }

    /// <summary>Similarities of the touched rows only, the best k kept; the buffer is left zeroed.</summary>
    private static int RankSparse(int i, int k, double shrink, bool binary, float[] inverseNorms, Scratch b)
    {
        var touched = b.Touched.AsSpan(0, b.TouchedCount);
        var scores = b.Scores.AsSpan(0, touched.Length);
        for (var t = 0; t < touched.Length; t++)
        {
            var j = touched[t];
            var similarity = b.Dot[j] * inverseNorms[i] * inverseNorms[j];
            if (shrink > 0)
            {
                float common = binary ? b.Dot[j] : b.Count[j];
                similarity *= common / (common + (float)shrink);
            }

            scores[t] = j == i || !(similarity > 0) ? float.NegativeInfinity : similarity;
            b.Dot[j] = 0;
            b.Seen[j] = false;
            if (b.Count.Length > 0)
            {
                b.Count[j] = 0;
            }
        }

        // Ties to the lower index, as in the dense pass, without sorting the touched rows first.
        return TopK.SelectPairs(touched, scores, k, b.Positions, b.Top);
    }

    /// <summary>One worker's buffers, sized once for the whole build.</summary>
    private sealed class Scratch(int n, bool countSeparately)
    {
        public float[] Dot { get; } = new float[n];

        /// <summary>The second accumulation buffer of the dense path (every other user's increments).</summary>
        public float[] Alternate { get; } = new float[n];

        public int[] Count { get; } = countSeparately ? new int[n] : [];

        public bool[] Seen { get; } = new bool[n];

        public int[] Touched { get; } = new int[n];

        public int TouchedCount { get; set; }

        public float[] Scores { get; } = new float[n];

        public float[] Shrunk { get; } = new float[n];

        public int[] Positions { get; } = new int[n];

        public float[] Top { get; } = new float[n];
    }
}
