using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RecKit.Kernels;

/// <summary>
/// In-place inverse of a symmetric positive-definite n×n matrix (row-major) by the blocked symmetric sweep: pivots
/// are taken B at a time; each block inverts its B×B pivot block in double and then updates the rest of the matrix
/// with one rank-B product. The product is almost all the work (n³ multiply-adds in all, half of Gauss–Jordan's,
/// because only the lower triangle is kept) and runs as a register-tiled, cache-blocked kernel on every core, where
/// <see cref="MatrixInverse"/> (the plain Gauss–Jordan it is tested against) streams the whole matrix through memory
/// once per pivot.
/// </summary>
/// <remarks>
/// The sweep of pivot block K maps P = A_KK⁻¹: A_KK ← −P, A_RK ← A_RK·P, A_RR ← A_RR − A_RK·P·A_KR (R: every other
/// index, swept or not). Sweeping every block leaves −A⁻¹; the sign is flipped and the lower triangle mirrored at the end.
/// </remarks>
internal static class BlockedSpdInverse
{
    /// <summary>Pivots per block: the panel of a 128-column block (64 KB) stays in L2 while rows stream past it.</summary>
    private const int Block = 128;

    /// <summary>Rows and columns of the register tile: 6 × 16 floats in 12 accumulators.</summary>
    private const int TileRows = 6;
    private const int TileColumns = 16;

    /// <summary>Columns of C updated by one task: one packed panel slice of Block × 128 floats.</summary>
    private const int ColumnBlock = 128;

    public static void InvertSpd(float[] a, int n, int threads, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Length < (long)n * n)
        {
            throw new ArgumentException($"The matrix holds {a.Length} values; {n}×{n} needs {(long)n * n}.");
        }

        var padded = (n + TileColumns - 1) / TileColumns * TileColumns;
        var x = new float[(long)n * Block];            // A_RK·P, row i at x[i*b]
        var yPacked = new float[(long)padded * Block]; // A_RK before the sweep, 16-column panels, k-major inside
        var pivot = new double[Block * Block];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
        for (var k0 = 0; k0 < n; k0 += Block)
        {
            cancellation.ThrowIfCancellationRequested();
            var b = Math.Min(Block, n - k0);
            InvertPivotBlock(a, n, k0, b, pivot);
            PackPanels(a, n, k0, b, pivot, x, yPacked, options);
            UpdateLowerTriangle(a, n, b, x, yPacked, options);
            WriteBack(a, n, k0, b, pivot, x);
        }

        // −A⁻¹ in the lower triangle: flip the sign, mirror to the upper.
        Parallel.For(0, n, options, i =>
        {
            var row = a.AsSpan(i * n, n);
            for (var j = 0; j <= i; j++)
            {
                row[j] = -row[j];
            }
        });
        Parallel.For(0, n, options, i =>
        {
            for (var j = i + 1; j < n; j++)
            {
                a[((long)i * n) + j] = a[((long)j * n) + i];
            }
        });
    }

    /// <summary>P = A_KK⁻¹ in double (B×B Gauss–Jordan; A_KK is a Schur complement of an SPD matrix, so SPD too).</summary>
    private static void InvertPivotBlock(float[] a, int n, int k0, int b, double[] p)
    {
        for (var r = 0; r < b; r++)
        {
            for (var c = 0; c <= r; c++)
            {
                var value = a[((long)(k0 + r) * n) + k0 + c];
                p[(r * b) + c] = value;
                p[(c * b) + r] = value;
            }
        }

        for (var q = 0; q < b; q++)
        {
            var d = p[(q * b) + q];
            if (!(d > 0))
            {
                throw new InvalidOperationException($"The matrix is not positive definite (pivot {k0 + q} is {d}).");
            }

            var inverse = 1 / d;
            for (var c = 0; c < b; c++)
            {
                p[(q * b) + c] *= inverse;
            }

            p[(q * b) + q] = inverse;
            for (var r = 0; r < b; r++)
            {
                var f = p[(r * b) + q];
                if (r == q || f == 0)
                {
                    continue;
                }

                p[(r * b) + q] = 0;
                for (var c = 0; c < b; c++)
                {
                    p[(r * b) + c] -= f * p[(q * b) + c];
                }
            }
        }
    }

    /// <summary>
    /// y = A_RK (read from the lower triangle: A[i,K] below the block, A[K,i] above it), x = y·P; the rows of K itself
    /// are zero in both, so the rank-B update leaves them alone.
    /// </summary>
    private static void PackPanels(float[] a, int n, int k0, int b, double[] p, float[] x, float[] yPacked, ParallelOptions options)
    {
        Array.Clear(yPacked);
        Parallel.For(0, n, options, () => new double[Block], (i, _, row) =>
        {
            var xi = x.AsSpan(i * Block, Block);
            if (i >= k0 && i < k0 + b)
            {
                xi.Clear();
                return row;
            }

            for (var c = 0; c < b; c++)
            {
                row[c] = i > k0 ? a[((long)i * n) + k0 + c] : a[((long)(k0 + c) * n) + i];
            }

            var panel = (i / TileColumns) * Block * TileColumns;
            for (var c = 0; c < b; c++)
            {
                yPacked[panel + (c * TileColumns) + (i % TileColumns)] = (float)row[c];
                double sum = 0;
                for (var q = 0; q < b; q++)
                {
                    sum += row[q] * p[(q * b) + c];
                }

                xi[c] = (float)sum;
            }

            xi[b..].Clear();
            return row;
        }, _ => { });
    }

    /// <summary>A[i,j] −= x[i]·y[j] for every j ≤ i (whole tiles on the diagonal: the upper entries they touch are never read).</summary>
    private static void UpdateLowerTriangle(float[] a, int n, int b, float[] x, float[] yPacked, ParallelOptions options)
    {
        var columnBlocks = (n + ColumnBlock - 1) / ColumnBlock;
        WorkerLoop.For(columnBlocks, options, () => 0, (block, _) =>
        {
            var j0 = block * ColumnBlock;
            var j1 = Math.Min(n, j0 + ColumnBlock);
            var i = j0;
            for (; i + TileRows <= n; i += TileRows)
            {
                for (var j = j0; j < j1 && j <= i + TileRows - 1; j += TileColumns)
                {
                    if (j + TileColumns <= n && Vector256.IsHardwareAccelerated)
                    {
                        Tile(a, n, i, j, b, x, yPacked);
                    }
                    else
                    {
                        Scalar(a, n, i, TileRows, j, Math.Min(TileColumns, n - j), b, x, yPacked);
                    }
                }
            }

            if (i < n)
            {
                for (var j = j0; j < j1 && j < n; j += TileColumns)
                {
                    Scalar(a, n, i, n - i, j, Math.Min(TileColumns, n - j), b, x, yPacked);
                }
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(float[] a, int n, int i, int j, int b, float[] x, float[] yPacked)
    {
        ref var xs = ref MemoryMarshal.GetArrayDataReference(x);
        ref var ys = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(yPacked), (nint)(j / TileColumns) * Block * TileColumns);
        ref var x0 = ref Unsafe.Add(ref xs, (nint)i * Block);
        ref var x1 = ref Unsafe.Add(ref x0, Block);
        ref var x2 = ref Unsafe.Add(ref x1, Block);
        ref var x3 = ref Unsafe.Add(ref x2, Block);
        ref var x4 = ref Unsafe.Add(ref x3, Block);
        ref var x5 = ref Unsafe.Add(ref x4, Block);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var k = 0; k < b; k++)
        {
            ref var yk = ref Unsafe.Add(ref ys, k * TileColumns);
            var y0 = Vector256.LoadUnsafe(ref yk);
            var y1 = Vector256.LoadUnsafe(ref yk, 8);
            var s = Vector256.Create(Unsafe.Add(ref x0, k));
            c00 = Vector256.FusedMultiplyAdd(s, y0, c00);
            c01 = Vector256.FusedMultiplyAdd(s, y1, c01);
            s = Vector256.Create(Unsafe.Add(ref x1, k));
            c10 = Vector256.FusedMultiplyAdd(s, y0, c10);
            c11 = Vector256.FusedMultiplyAdd(s, y1, c11);
            s = Vector256.Create(Unsafe.Add(ref x2, k));
            c20 = Vector256.FusedMultiplyAdd(s, y0, c20);
            c21 = Vector256.FusedMultiplyAdd(s, y1, c21);
            s = Vector256.Create(Unsafe.Add(ref x3, k));
            c30 = Vector256.FusedMultiplyAdd(s, y0, c30);
            c31 = Vector256.FusedMultiplyAdd(s, y1, c31);
            s = Vector256.Create(Unsafe.Add(ref x4, k));
            c40 = Vector256.FusedMultiplyAdd(s, y0, c40);
            c41 = Vector256.FusedMultiplyAdd(s, y1, c41);
            s = Vector256.Create(Unsafe.Add(ref x5, k));
            c50 = Vector256.FusedMultiplyAdd(s, y0, c50);
            c51 = Vector256.FusedMultiplyAdd(s, y1, c51);
        }

        ref var c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), ((nint)i * n) + j);
        Subtract(ref c, c00, c01);
        Subtract(ref Unsafe.Add(ref c, n), c10, c11);
        Subtract(ref Unsafe.Add(ref c, 2 * (nint)n), c20, c21);
        Subtract(ref Unsafe.Add(ref c, 3 * (nint)n), c30, c31);
        Subtract(ref Unsafe.Add(ref c, 4 * (nint)n), c40, c41);
        Subtract(ref Unsafe.Add(ref c, 5 * (nint)n), c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(ref float c, Vector256<float> low, Vector256<float> high)
    {
        (Vector256.LoadUnsafe(ref c) - low).StoreUnsafe(ref c);
        (Vector256.LoadUnsafe(ref c, 8) - high).StoreUnsafe(ref c, 8);
    }

    /// <summary>The edges: a rows × columns tile the register tile does not cover.</summary>
    private static void Scalar(float[] a, int n, int i, int rows, int j, int columns, int b, float[] x, float[] yPacked)
    {
        var panel = (j / TileColumns) * Block * TileColumns;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                float sum = 0;
                for (var k = 0; k < b; k++)
                {
                    sum += x[((i + r) * Block) + k] * yPacked[panel + (k * TileColumns) + ((j + c) % TileColumns)];
                }

                a[((long)(i + r) * n) + j + c] -= sum;
            }
        }
    }

    /// <summary>The swept block's lower triangle: −P on the diagonal block, x (= A_RK·P) in the panel.</summary>
    private static void WriteBack(float[] a, int n, int k0, int b, double[] p, float[] x)
    {
        for (var r = 0; r < b; r++)
        {
            for (var c = 0; c <= r; c++)
            {
                a[((long)(k0 + r) * n) + k0 + c] = (float)-p[(r * b) + c];
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (i >= k0 && i < k0 + b)
            {
                continue;
            }

            for (var c = 0; c < b; c++)
            {
                if (i > k0)
                {
                    a[((long)i * n) + k0 + c] = x[(i * Block) + c];
                }
                else
                {
                    a[((long)(k0 + c) * n) + i] = x[(i * Block) + c];
                }
            }
        }
    }
}
