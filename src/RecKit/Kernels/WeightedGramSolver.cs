using System.Runtime.CompilerServices;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Kernels;

/// <summary>
/// Solves (G + Σ_i w_i y_i y_iᵀ) x = Σ_i (1 + w_i) y_i — the implicit-feedback least-squares step, where G is
/// the shared Gram matrix (YᵀY + λI) and the sum runs over one row's observed columns with extra confidence w_i.
/// Conjugate gradient never forms the k×k matrix: each product is G·p plus a pass over the observed rows.
/// </summary>
public static class WeightedGramSolver
{
    /// <summary>A few CG steps warm-started from x (which is updated in place). Scratch needs 3k floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ConjugateGradient(ReadOnlySpan<float> gram, ReadOnlySpan<float> factors, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, Span<float> x, int steps, Span<float> scratch)
    {
        var k = x.Length;
        var r = scratch[..k];
        var p = scratch.Slice(k, k);
        var ap = scratch.Slice(2 * k, k);

        // r = b − A·x = Σ (1 + w − w(y·x)) y − G·x
        GramTimes(gram, x, r, k);
        Negate(r, r);
        for (var j = 0; j < rows.Length; j++)
        {
            var y = factors.Slice(rows[j] * k, k);
            var w = weights[j];
            MultiplyAdd(y, 1 + w - (w * Dot(y, x)), r, r);
        }

        r.CopyTo(p);
        var rsOld = Dot(r, r);
        for (var step = 0; step < steps && rsOld > 1e-20f; step++)
        {
            // ap = A·p
            GramTimes(gram, p, ap, k);
            for (var j = 0; j < rows.Length; j++)
            {
                var y = factors.Slice(rows[j] * k, k);
                MultiplyAdd(y, weights[j] * Dot(y, p), ap, ap);
            }

            var alpha = rsOld / Dot(p, ap);
            MultiplyAdd(p, alpha, x, x);
            MultiplyAdd(ap, -alpha, r, r);
            var rsNew = Dot(r, r);
            Multiply(p, rsNew / rsOld, p);
            Add(p, r, p);
            rsOld = rsNew;
        }
    }

    /// <summary>The exact solve: forms G + Σ w y yᵀ and b, then Cholesky. Scratch needs k² + k floats.</summary>
    public static bool Exact(ReadOnlySpan<float> gram, ReadOnlySpan<float> factors, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, Span<float> x, Span<float> scratch)
    {
        var k = x.Length;
        var a = scratch[..(k * k)];
        var b = scratch.Slice(k * k, k);
        gram.CopyTo(a);
        b.Clear();
        for (var j = 0; j < rows.Length; j++)
        {
            var y = factors.Slice(rows[j] * k, k);
            var w = weights[j];
            for (var i = 0; i < k; i++)
            {
                MultiplyAdd(y, w * y[i], a.Slice(i * k, k), a.Slice(i * k, k));
            }

            MultiplyAdd(y, 1 + w, b, b);
        }

        if (!Cholesky.Solve(a, b, k))
        {
            return false;
        }

        b.CopyTo(x);
        return true;
    }

    /// <summary>G = YᵀY + λI over the rows of a factor matrix (row-major n×k), in parallel over row blocks.</summary>
    public static float[] Gram(ReadOnlySpan<float> factors, int k, float lambda)
    {
        var n = factors.Length / k;
        var data = factors.ToArray();
        var blocks = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, n / 256));
        var partial = new float[blocks][];
        Parallel.For(0, blocks, block =>
        {
            // Float partial sums over a block of rows (vector FMAs); blocks are added in double below.
            var sum = new float[k * k];
            var start = (int)((long)n * block / blocks);
            var end = (int)((long)n * (block + 1) / blocks);
            for (var row = start; row < end; row++)
            {
                var y = data.AsSpan(row * k, k);
                for (var i = 0; i < k; i++)
                {
                    MultiplyAdd(y, y[i], sum.AsSpan(i * k, k), sum.AsSpan(i * k, k));
                }
            }

            partial[block] = sum;
        });
        var gram = new float[k * k];
        for (var c = 0; c < k * k; c++)
        {
            double total = 0;
            foreach (var part in partial)
            {
                total += part[c];
            }

            gram[c] = (float)total;
        }

        for (var i = 0; i < k; i++)
        {
            gram[(i * k) + i] += lambda;
        }

        return gram;
    }

    private static void GramTimes(ReadOnlySpan<float> gram, ReadOnlySpan<float> v, Span<float> output, int k)
    {
        for (var i = 0; i < k; i++)
        {
            output[i] = Dot(gram.Slice(i * k, k), v);
        }
    }
}
