using System.Runtime.CompilerServices;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Kernels;

/// <summary>
/// In-place inversion of a symmetric positive-definite n×n matrix (row-major) by Gauss–Jordan elimination
/// without pivoting (safe for SPD). Each pivot step updates every other row with one vector multiply-add, the
/// rows split across cores: O(n³) work at vector speed, no extra n×n buffer.
/// </summary>
internal static class MatrixInverse
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InvertSpd(float[] a, int n, int threads, CancellationToken cancellation = default)
    {
        var pivotRow = new float[n];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
        for (var p = 0; p < n; p++)
        {
            var row = a.AsSpan(p * n, n);
            var pivot = row[p];
            if (!(pivot > 0))
            {
                throw new InvalidOperationException($"The matrix is not positive definite (pivot {p} is {pivot}).");
            }

            // Row p becomes row p / pivot, with its pivot column holding 1 / pivot.
            row[p] = 1f;
            Multiply(row, 1f / pivot, row);
            row.CopyTo(pivotRow);
            var pivotCopy = pivotRow;
            Parallel.For(0, threads, options, t =>
            {
                var start = (int)((long)n * t / threads);
                var end = (int)((long)n * (t + 1) / threads);
                for (var r = start; r < end; r++)
                {
                    if (r == p)
                    {
                        continue;
                    }

                    var target = a.AsSpan(r * n, n);
                    var factor = target[p];
                    if (factor == 0)
                    {
                        continue;
                    }

                    target[p] = 0f;
                    MultiplyAdd(pivotCopy, -factor, target, target);
                }
            });
        }
    }
}
