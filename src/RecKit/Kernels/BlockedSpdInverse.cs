using System.Numerics;
using System.Numerics.Tensors;
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
/// once per pivot. Where the machine has 512-bit vectors the product's tile is 12 × 32 in 24 of the 32 vector registers,
/// otherwise 6 × 16 in 12 of 16.
/// </summary>
/// <remarks>
/// The sweep of pivot block K maps P = A_KK⁻¹: A_KK ← −P, A_RK ← A_RK·P, A_RR ← A_RR − A_RK·P·A_KR (R: every other
/// index, swept or not). Sweeping every block leaves −A⁻¹; the sign is flipped and the lower triangle mirrored at the end.
/// </remarks>
internal static class BlockedSpdInverse
{
    /// <summary>Pivots per block: the panel of a 128-column block (64 KB) stays in L2 while rows stream past it.</summary>
    private const int Block = 128;

    /// <summary>Columns of one packed panel of A_RK: the width of the 512-bit tile, two 256-bit tiles side by side.</summary>
    private const int TileColumns = 32;

    /// <summary>Rows of the 512-bit register tile (12 × 32 floats in 24 accumulators) and of the 256-bit one (6 × 16 in 12).</summary>
    private const int WideRows = 12;
    private const int NarrowRows = 6;

    /// <summary>Columns of C updated by one task: four packed panels of Block × 32 floats.</summary>
    private const int ColumnBlock = 128;

    /// <summary>Which register tile the rank-B update uses (tests run each one on any machine that has it).</summary>
    internal enum Kernel
    {
        Scalar,
        Vector256,
        Vector512,
    }

    /// <summary>The widest tile this machine runs.</summary>
    internal static Kernel Widest =>
        Vector512.IsHardwareAccelerated ? Kernel.Vector512 : Vector256.IsHardwareAccelerated ? Kernel.Vector256 : Kernel.Scalar;

    public static void InvertSpd(float[] a, int n, int threads, CancellationToken cancellation = default) =>
        InvertSpd(a, n, threads, Widest, cancellation);

    internal static void InvertSpd(float[] a, int n, int threads, Kernel kernel, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Length < (long)n * n)
        {
            throw new ArgumentException($"The matrix holds {a.Length} values; {n}×{n} needs {(long)n * n}.");
        }

        var padded = (n + TileColumns - 1) / TileColumns * TileColumns;
        var x = new float[(long)n * Block];            // A_RK·P, row i at x[i*Block]
        var yPacked = new float[(long)padded * Block]; // A_RK before the sweep, 32-column panels, k-major inside
        var pivot = new double[Block * Block];
        var pivotSingle = new float[Block * Block]; // P in single precision, Block-strided
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
        for (var k0 = 0; k0 < n; k0 += Block)
        {
            cancellation.ThrowIfCancellationRequested();
            var b = Math.Min(Block, n - k0);
            InvertPivotBlock(a, n, k0, b, pivot);
            if (b < Block)
            {
                Array.Clear(pivotSingle); // columns past b would carry the previous block's values into x
            }

            for (var r = 0; r < b; r++)
            {
                for (var c = 0; c < b; c++)
                {
                    pivotSingle[(r * Block) + c] = (float)pivot[(r * b) + c];
                }
            }

            PackPanels(a, n, k0, b, pivotSingle, x, yPacked, options);
            UpdateLowerTriangle(a, n, b, x, yPacked, kernel, options);
            WriteBack(a, n, k0, b, pivot, x, options);
        }

        // −A⁻¹ in the lower triangle: flip the sign, mirror to the upper (in square blocks, so both sides stay in cache).
        Parallel.For(0, n, options, i =>
        {
            var row = a.AsSpan(i * n, i + 1);
            TensorPrimitives.Negate(row, row);
        });
        const int Square = 64;
        var squares = (n + Square - 1) / Square;
        Parallel.For(0, squares, options, bi =>
        {
            var i0 = bi * Square;
            var i1 = Math.Min(n, i0 + Square);
            for (var j0 = i0; j0 < n; j0 += Square)
            {
                var j1 = Math.Min(n, j0 + Square);
                for (var i = i0; i < i1; i++)
                {
                    for (var j = Math.Max(j0, i + 1); j < j1; j++)
                    {
                        a[((long)i * n) + j] = a[((long)j * n) + i];
                    }
                }
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
            var pivotRow = p.AsSpan(q * b, b);
            TensorPrimitives.Multiply(pivotRow, inverse, pivotRow);
            p[(q * b) + q] = inverse;
            for (var r = 0; r < b; r++)
            {
                var f = p[(r * b) + q];
                if (r == q || f == 0)
                {
                    continue;
                }

                p[(r * b) + q] = 0;
                var row = p.AsSpan(r * b, b);
                TensorPrimitives.MultiplyAdd(pivotRow, -f, row, row);
            }
        }
    }

    /// <summary>
    /// y = A_RK (read from the lower triangle: A[i,K] below the block, A[K,i] above it), x = y·P, two rows at a time in
    /// vector registers; the rows of K itself are zero in both, so the rank-B update leaves them alone.
    /// </summary>
    private static void PackPanels(float[] a, int n, int k0, int b, float[] p, float[] x, float[] yPacked, ParallelOptions options)
    {
        Array.Clear(yPacked);
        var pairs = (n + 1) / 2;
        Parallel.For(0, pairs, options, () => new float[2 * Block], (pair, _, rows) =>
        {
            var i = 2 * pair;
            var row0 = rows.AsSpan(0, Block);
            var row1 = rows.AsSpan(Block, Block);
            Gather(a, n, k0, b, i, row0, yPacked);
            Gather(a, n, k0, b, i + 1, row1, yPacked);
            MultiplyByPivot(row0, row1, p, b, x.AsSpan(i * Block, Block), i + 1 < n ? x.AsSpan((i + 1) * Block, Block) : Span<float>.Empty);
            return rows;
        }, _ => { });
    }

    /// <summary>Row i of A_RK into <paramref name="row"/> (zeros past b, and for i in K or past the matrix) and its panel.</summary>
    private static void Gather(float[] a, int n, int k0, int b, int i, Span<float> row, float[] yPacked)
    {
        row.Clear();
        if (i >= n || (i >= k0 && i < k0 + b))
        {
            return;
        }

        if (i > k0)
        {
            a.AsSpan((int)(((long)i * n) + k0), b).CopyTo(row);
        }
        else
        {
            for (var c = 0; c < b; c++)
            {
                row[c] = a[((long)(k0 + c) * n) + i];
            }
        }

        var panel = (i / TileColumns) * Block * TileColumns;
        var lane = i % TileColumns;
        for (var c = 0; c < b; c++)
        {
            yPacked[panel + (c * TileColumns) + lane] = row[c];
        }
    }

    /// <summary>x0 = row0·P and x1 = row1·P (P is Block × Block, zero past b), 4 vectors of columns × 2 rows at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyByPivot(ReadOnlySpan<float> row0, ReadOnlySpan<float> row1, float[] p, int b, Span<float> x0, Span<float> x1)
    {
        var width = Vector<float>.Count;
        var hasSecond = !x1.IsEmpty;
        ref var p0 = ref MemoryMarshal.GetArrayDataReference(p);
        for (var column = 0; column < Block; column += 4 * width)
        {
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            for (var c = 0; c < b; c++)
            {
                ref var pc = ref Unsafe.Add(ref p0, (c * Block) + column);
                var v0 = Vector.LoadUnsafe(ref pc);
                var v1 = Vector.LoadUnsafe(ref pc, (nuint)width);
                var v2 = Vector.LoadUnsafe(ref pc, (nuint)(2 * width));
                var v3 = Vector.LoadUnsafe(ref pc, (nuint)(3 * width));
                var s = new Vector<float>(row0[c]);
                a0 = Vector.FusedMultiplyAdd(s, v0, a0);
                a1 = Vector.FusedMultiplyAdd(s, v1, a1);
                a2 = Vector.FusedMultiplyAdd(s, v2, a2);
                a3 = Vector.FusedMultiplyAdd(s, v3, a3);
                s = new Vector<float>(row1[c]);
                b0 = Vector.FusedMultiplyAdd(s, v0, b0);
                b1 = Vector.FusedMultiplyAdd(s, v1, b1);
                b2 = Vector.FusedMultiplyAdd(s, v2, b2);
                b3 = Vector.FusedMultiplyAdd(s, v3, b3);
            }

            var x0s = x0.Slice(column, 4 * width);
            a0.CopyTo(x0s);
            a1.CopyTo(x0s[width..]);
            a2.CopyTo(x0s[(2 * width)..]);
            a3.CopyTo(x0s[(3 * width)..]);
            if (hasSecond)
            {
                var x1s = x1.Slice(column, 4 * width);
                b0.CopyTo(x1s);
                b1.CopyTo(x1s[width..]);
                b2.CopyTo(x1s[(2 * width)..]);
                b3.CopyTo(x1s[(3 * width)..]);
            }
        }
    }

    /// <summary>A[i,j] −= x[i]·y[j] for every j ≤ i (whole tiles on the diagonal: the upper entries they touch are never read).</summary>
    private static void UpdateLowerTriangle(float[] a, int n, int b, float[] x, float[] yPacked, Kernel kernel, ParallelOptions options)
    {
        var columnBlocks = (n + ColumnBlock - 1) / ColumnBlock;
        var tileRows = kernel == Kernel.Vector512 ? WideRows : NarrowRows;
        WorkerLoop.For(columnBlocks, options, () => 0, (block, _) =>
        {
            var j0 = block * ColumnBlock;
            var j1 = Math.Min(n, j0 + ColumnBlock);
            var i = j0;
            for (; i + tileRows <= n; i += tileRows)
            {
                for (var j = j0; j < j1 && j <= i + tileRows - 1; j += TileColumns)
                {
                    if (j + TileColumns > n || kernel == Kernel.Scalar)
                    {
                        Scalar(a, n, i, tileRows, j, Math.Min(TileColumns, n - j), b, x, yPacked);
                    }
                    else if (kernel == Kernel.Vector512)
                    {
                        Tile512(a, n, i, j, b, x, yPacked);
                    }
                    else
                    {
                        Tile256(a, n, i, j, 0, b, x, yPacked);
                        Tile256(a, n, i, j, 16, b, x, yPacked);
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
    private static void Tile512(float[] a, int n, int i, int j, int b, float[] x, float[] yPacked)
    {
        ref var ys = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(yPacked), (nint)(j / TileColumns) * Block * TileColumns);
        ref var xs = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), (nint)i * Block);
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        for (var k = 0; k < b; k++)
        {
            ref var yk = ref Unsafe.Add(ref ys, k * TileColumns);
            ref var xk = ref Unsafe.Add(ref xs, k);
            var y0 = Vector512.LoadUnsafe(ref yk);
            var y1 = Vector512.LoadUnsafe(ref yk, 16);
            var s = Vector512.Create(xk);
            c00 = Vector512.FusedMultiplyAdd(s, y0, c00);
            c01 = Vector512.FusedMultiplyAdd(s, y1, c01);
            s = Vector512.Create(Unsafe.Add(ref xk, Block));
            c10 = Vector512.FusedMultiplyAdd(s, y0, c10);
            c11 = Vector512.FusedMultiplyAdd(s, y1, c11);
            s = Vector512.Create(Unsafe.Add(ref xk, 2 * Block));
            c20 = Vector512.FusedMultiplyAdd(s, y0, c20);
            c21 = Vector512.FusedMultiplyAdd(s, y1, c21);
            s = Vector512.Create(Unsafe.Add(ref xk, 3 * Block));
            c30 = Vector512.FusedMultiplyAdd(s, y0, c30);
            c31 = Vector512.FusedMultiplyAdd(s, y1, c31);
            s = Vector512.Create(Unsafe.Add(ref xk, 4 * Block));
            c40 = Vector512.FusedMultiplyAdd(s, y0, c40);
            c41 = Vector512.FusedMultiplyAdd(s, y1, c41);
            s = Vector512.Create(Unsafe.Add(ref xk, 5 * Block));
            c50 = Vector512.FusedMultiplyAdd(s, y0, c50);
            c51 = Vector512.FusedMultiplyAdd(s, y1, c51);
            s = Vector512.Create(Unsafe.Add(ref xk, 6 * Block));
            c60 = Vector512.FusedMultiplyAdd(s, y0, c60);
            c61 = Vector512.FusedMultiplyAdd(s, y1, c61);
            s = Vector512.Create(Unsafe.Add(ref xk, 7 * Block));
            c70 = Vector512.FusedMultiplyAdd(s, y0, c70);
            c71 = Vector512.FusedMultiplyAdd(s, y1, c71);
            s = Vector512.Create(Unsafe.Add(ref xk, 8 * Block));
            c80 = Vector512.FusedMultiplyAdd(s, y0, c80);
            c81 = Vector512.FusedMultiplyAdd(s, y1, c81);
            s = Vector512.Create(Unsafe.Add(ref xk, 9 * Block));
            c90 = Vector512.FusedMultiplyAdd(s, y0, c90);
            c91 = Vector512.FusedMultiplyAdd(s, y1, c91);
            s = Vector512.Create(Unsafe.Add(ref xk, 10 * Block));
            cA0 = Vector512.FusedMultiplyAdd(s, y0, cA0);
            cA1 = Vector512.FusedMultiplyAdd(s, y1, cA1);
            s = Vector512.Create(Unsafe.Add(ref xk, 11 * Block));
            cB0 = Vector512.FusedMultiplyAdd(s, y0, cB0);
            cB1 = Vector512.FusedMultiplyAdd(s, y1, cB1);
        }

        ref var c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), ((nint)i * n) + j);
        Subtract(ref c, c00, c01);
        Subtract(ref Unsafe.Add(ref c, n), c10, c11);
        Subtract(ref Unsafe.Add(ref c, 2 * (nint)n), c20, c21);
        Subtract(ref Unsafe.Add(ref c, 3 * (nint)n), c30, c31);
        Subtract(ref Unsafe.Add(ref c, 4 * (nint)n), c40, c41);
        Subtract(ref Unsafe.Add(ref c, 5 * (nint)n), c50, c51);
        Subtract(ref Unsafe.Add(ref c, 6 * (nint)n), c60, c61);
        Subtract(ref Unsafe.Add(ref c, 7 * (nint)n), c70, c71);
        Subtract(ref Unsafe.Add(ref c, 8 * (nint)n), c80, c81);
        Subtract(ref Unsafe.Add(ref c, 9 * (nint)n), c90, c91);
        Subtract(ref Unsafe.Add(ref c, 10 * (nint)n), cA0, cA1);
        Subtract(ref Unsafe.Add(ref c, 11 * (nint)n), cB0, cB1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256(float[] a, int n, int i, int j, int half, int b, float[] x, float[] yPacked)
    {
        ref var ys = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(yPacked), ((nint)(j / TileColumns) * Block * TileColumns) + half);
        ref var xs = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), (nint)i * Block);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var k = 0; k < b; k++)
        {
            ref var yk = ref Unsafe.Add(ref ys, k * TileColumns);
            ref var xk = ref Unsafe.Add(ref xs, k);
            var y0 = Vector256.LoadUnsafe(ref yk);
            var y1 = Vector256.LoadUnsafe(ref yk, 8);
            var s = Vector256.Create(xk);
            c00 = Vector256.FusedMultiplyAdd(s, y0, c00);
            c01 = Vector256.FusedMultiplyAdd(s, y1, c01);
            s = Vector256.Create(Unsafe.Add(ref xk, Block));
            c10 = Vector256.FusedMultiplyAdd(s, y0, c10);
            c11 = Vector256.FusedMultiplyAdd(s, y1, c11);
            s = Vector256.Create(Unsafe.Add(ref xk, 2 * Block));
            c20 = Vector256.FusedMultiplyAdd(s, y0, c20);
            c21 = Vector256.FusedMultiplyAdd(s, y1, c21);
            s = Vector256.Create(Unsafe.Add(ref xk, 3 * Block));
            c30 = Vector256.FusedMultiplyAdd(s, y0, c30);
            c31 = Vector256.FusedMultiplyAdd(s, y1, c31);
            s = Vector256.Create(Unsafe.Add(ref xk, 4 * Block));
            c40 = Vector256.FusedMultiplyAdd(s, y0, c40);
            c41 = Vector256.FusedMultiplyAdd(s, y1, c41);
            s = Vector256.Create(Unsafe.Add(ref xk, 5 * Block));
            c50 = Vector256.FusedMultiplyAdd(s, y0, c50);
            c51 = Vector256.FusedMultiplyAdd(s, y1, c51);
        }

        ref var c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), ((nint)i * n) + j + half);
        Subtract(ref c, c00, c01);
        Subtract(ref Unsafe.Add(ref c, n), c10, c11);
        Subtract(ref Unsafe.Add(ref c, 2 * (nint)n), c20, c21);
        Subtract(ref Unsafe.Add(ref c, 3 * (nint)n), c30, c31);
        Subtract(ref Unsafe.Add(ref c, 4 * (nint)n), c40, c41);
        Subtract(ref Unsafe.Add(ref c, 5 * (nint)n), c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(ref float c, Vector512<float> low, Vector512<float> high)
    {
        (Vector512.LoadUnsafe(ref c) - low).StoreUnsafe(ref c);
        (Vector512.LoadUnsafe(ref c, 16) - high).StoreUnsafe(ref c, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(ref float c, Vector256<float> low, Vector256<float> high)
    {
        (Vector256.LoadUnsafe(ref c) - low).StoreUnsafe(ref c);
        (Vector256.LoadUnsafe(ref c, 8) - high).StoreUnsafe(ref c, 8);
    }

    /// <summary>The edges, and every tile on a machine without vectors: rows × columns the register tiles do not cover.</summary>
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
    private static void WriteBack(float[] a, int n, int k0, int b, double[] p, float[] x, ParallelOptions options)
    {
        for (var r = 0; r < b; r++)
        {
            for (var c = 0; c <= r; c++)
            {
                a[((long)(k0 + r) * n) + k0 + c] = (float)-p[(r * b) + c];
            }
        }

        Parallel.For(0, n, options, i =>
        {
            if (i >= k0 && i < k0 + b)
            {
                return;
            }

            if (i > k0)
            {
                x.AsSpan(i * Block, b).CopyTo(a.AsSpan((int)(((long)i * n) + k0), b));
                return;
            }

            for (var c = 0; c < b; c++)
            {
                a[((long)(k0 + c) * n) + i] = x[(i * Block) + c];
            }
        });
    }
}
