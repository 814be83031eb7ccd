using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Kernels;

/// <summary>
/// Solves (G + Σ_i w_i y_i y_iᵀ) x = Σ_i (1 + w_i) y_i — the implicit-feedback least-squares step, where G is
/// the shared Gram matrix (YᵀY + λI) and the sum runs over one row's observed columns with extra confidence w_i.
/// Conjugate gradient never forms the k×k matrix: each product is G·p plus a pass over the observed rows.
/// Both solvers also return the row's objective f(x) = xᵀAx − 2bᵀx at the returned x: the row's part of the
/// Hu–Koren–Volinsky loss (all columns, confidence-weighted, with the L2 term) less the constant Σ (1 + w_i).
/// An optional extra right-hand side λμ makes the L2 term λ‖x − μ‖² (a prior mean μ; the constant λ‖μ‖² is left out too).
/// </summary>
internal static class WeightedGramSolver
{
    /// <summary>
    /// A few CG steps warm-started from x (which is updated in place). Scratch needs 3k floats.
    /// </summary>
    /// <returns>
    /// f(x) at the returned x, at no extra pass: f(x₀) comes from the dot products of the first residual pass and each
    /// step lowers f by α·rᵀr.
    /// </returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ConjugateGradient(ReadOnlySpan<float> gram, ReadOnlySpan<float> factors, ReadOnlySpan<int> rows, Confidence confidence, Span<float> x, int steps, Span<float> scratch, ReadOnlySpan<float> extra = default)
    {
        var k = x.Length;
        var r = scratch[..k];
        var p = scratch.Slice(k, k);
        var ap = scratch.Slice(2 * k, k);

        // r = b − A·x = Σ (1 + w − w(y·x)) y − G·x, and f(x) = xᵀGx + Σ w (y·x)² − 2 Σ (1 + w)(y·x).
        GramTimes(gram, x, r, k);
        double objective = Dot(x, r);
        Negate(r, r);
        objective += AccumulateObserved(factors, rows, confidence, x, r, k, residual: true);
        if (!extra.IsEmpty)
        {
            Add(r, extra, r);
            objective -= 2 * Dot(extra, x);
        }

        r.CopyTo(p);
        var rsOld = Dot(r, r);
        for (var step = 0; step < steps && rsOld > 1e-20f; step++)
        {
            // ap = A·p
            GramTimes(gram, p, ap, k);
            AccumulateObserved(factors, rows, confidence, p, ap, k, residual: false);

            var alpha = rsOld / Dot(p, ap);
            MultiplyAdd(p, alpha, x, x);
            MultiplyAdd(ap, -alpha, r, r);
            objective -= (double)alpha * rsOld;
            var rsNew = Dot(r, r);
            Multiply(p, rsNew / rsOld, p);
            Add(p, r, p);
            rsOld = rsNew;
        }

        return objective;
    }

    /// <summary>The exact solve: forms G + Σ w y yᵀ and b, then Cholesky. Scratch needs k² + 2k floats.</summary>
    /// <param name="objective">f(x) = −bᵀx at the solution.</param>
    /// <returns>False when the system is not positive definite.</returns>
    public static bool Exact(ReadOnlySpan<float> gram, ReadOnlySpan<float> factors, ReadOnlySpan<int> rows, Confidence confidence, Span<float> x, Span<float> scratch, out double objective, ReadOnlySpan<float> extra = default)
    {
        var k = x.Length;
        var a = scratch[..(k * k)];
        var b = scratch.Slice(k * k, k);
        var rhs = scratch.Slice((k * k) + k, k);
        gram.CopyTo(a);
        b.Clear();
        for (var j = 0; j < rows.Length; j++)
        {
            var y = factors.Slice(rows[j] * k, k);
            var w = confidence[j];
            for (var i = 0; i < k; i++)
            {
                MultiplyAdd(y, w * y[i], a.Slice(i * k, k), a.Slice(i * k, k));
            }

            MultiplyAdd(y, 1 + w, b, b);
        }

        if (!extra.IsEmpty)
        {
            Add(b, extra, b);
        }

        b.CopyTo(rhs);
        if (!Cholesky.Solve(a, b, k))
        {
            objective = double.NaN;
            return false;
        }

        b.CopyTo(x);
        objective = -Dot(rhs, x);
        return true;
    }

    /// <summary>G = YᵀY + λI over the rows of a factor matrix (row-major n×k), in parallel over row blocks.</summary>
    public static float[] Gram(ReadOnlyMemory<float> factors, int k, float lambda)
    {
        var n = factors.Length / k;
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
                AddOuterProduct(factors.Span.Slice(row * k, k), sum, k);
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

    /// <summary>
    /// output += Σ_j c_j y_j over the observed rows, with c_j = w_j (y_j·v) for a product, or
    /// c_j = 1 + w_j − w_j (y_j·v) for the residual. The hot loop of ALS: one fused pass, plain vector code
    /// (no per-row library call), the reduction of each dot product done once per row.
    /// </summary>
    /// <returns>Σ w_j d_j² − 2 Σ (1 + w_j) d_j with d_j = y_j·v: the observed part of f(v), used on the residual pass.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double AccumulateObserved(ReadOnlySpan<float> factors, ReadOnlySpan<int> rows, Confidence confidence, ReadOnlySpan<float> v, Span<float> output, int k, bool residual)
    {
        if (Vector512.IsHardwareAccelerated && k % 16 == 0 && k <= 128)
        {
            return (k / 16) switch
            {
                1 => AccumulateInRegisters<One>(factors, rows, confidence, v, output, residual),
                2 => AccumulateInRegisters<Two>(factors, rows, confidence, v, output, residual),
                3 => AccumulateInRegisters<Three>(factors, rows, confidence, v, output, residual),
                4 => AccumulateInRegisters<Four>(factors, rows, confidence, v, output, residual),
                5 => AccumulateInRegisters<Five>(factors, rows, confidence, v, output, residual),
                6 => AccumulateInRegisters<Six>(factors, rows, confidence, v, output, residual),
                7 => AccumulateInRegisters<Seven>(factors, rows, confidence, v, output, residual),
                _ => AccumulateInRegisters<Eight>(factors, rows, confidence, v, output, residual),
            };
        }

        double objective = 0;
        if (Vector512.IsHardwareAccelerated && k % 16 == 0)
        {
            ref var f0 = ref MemoryMarshal.GetReference(factors);
            ref var v0 = ref MemoryMarshal.GetReference(v);
            ref var o0 = ref MemoryMarshal.GetReference(output);
            for (var j = 0; j < rows.Length; j++)
            {
                var offset = (nuint)(rows[j] * k);
                var acc = Vector512<float>.Zero;
                for (nuint f = 0; f < (nuint)k; f += 16)
                {
                    acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref f0, offset + f), Vector512.LoadUnsafe(ref v0, f), acc);
                }

                var w = confidence[j];
                var dot = Vector512.Sum(acc);
                var c = Vector512.Create(Coefficient(dot, w, residual, ref objective));
                for (nuint f = 0; f < (nuint)k; f += 16)
                {
                    Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref f0, offset + f), c, Vector512.LoadUnsafe(ref o0, f)).StoreUnsafe(ref o0, f);
                }
            }

            return objective;
        }

        for (var j = 0; j < rows.Length; j++)
        {
            var y = factors.Slice(rows[j] * k, k);
            var w = confidence[j];
            var dot = Dot(y, v);
            MultiplyAdd(y, Coefficient(dot, w, residual, ref objective), output, output);
        }

        return objective;
    }

    /// <summary>
    /// The weight of y_j in a pass, from d = y_j·v and its extra confidence w: w·d for a product, 1 + w − w·d for the
    /// residual; the residual pass also adds the row's share w·d² − 2(1 + w)·d of f to <paramref name="objective"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Coefficient(float dot, float w, bool residual, ref double objective)
    {
        if (!residual)
        {
            return w * dot;
        }

        objective += dot * ((w * dot) - (2 * (1 + w)));
        return 1 + w - (w * dot);
    }

    /// <summary>
    /// <see cref="AccumulateObserved"/> for 16·W factors (W = 1..8 vectors of 16 floats): v and the output live in
    /// registers for the whole pass, so a row costs its W loads and 2W FMAs with no store. W is a type so that the JIT
    /// compiles one specialised loop per width, with the unused registers and branches gone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double AccumulateInRegisters<TWidth>(ReadOnlySpan<float> factors, ReadOnlySpan<int> rows, Confidence confidence, ReadOnlySpan<float> v, Span<float> output, bool residual)
        where TWidth : struct, IVectorCount
    {
        var w = TWidth.Count;
        var k = 16 * w;
        ref var f0 = ref MemoryMarshal.GetReference(factors);
        ref var v0 = ref MemoryMarshal.GetReference(v);
        ref var o0 = ref MemoryMarshal.GetReference(output);
        var va = Vector512.LoadUnsafe(ref v0, 0);
        var vb = w > 1 ? Vector512.LoadUnsafe(ref v0, 16) : default;
        var vc = w > 2 ? Vector512.LoadUnsafe(ref v0, 32) : default;
        var vd = w > 3 ? Vector512.LoadUnsafe(ref v0, 48) : default;
        var ve = w > 4 ? Vector512.LoadUnsafe(ref v0, 64) : default;
        var vf = w > 5 ? Vector512.LoadUnsafe(ref v0, 80) : default;
        var vg = w > 6 ? Vector512.LoadUnsafe(ref v0, 96) : default;
        var vh = w > 7 ? Vector512.LoadUnsafe(ref v0, 112) : default;
        var oa = Vector512.LoadUnsafe(ref o0, 0);
        var ob = w > 1 ? Vector512.LoadUnsafe(ref o0, 16) : default;
        var oc = w > 2 ? Vector512.LoadUnsafe(ref o0, 32) : default;
        var od = w > 3 ? Vector512.LoadUnsafe(ref o0, 48) : default;
        var oe = w > 4 ? Vector512.LoadUnsafe(ref o0, 64) : default;
        var of = w > 5 ? Vector512.LoadUnsafe(ref o0, 80) : default;
        var og = w > 6 ? Vector512.LoadUnsafe(ref o0, 96) : default;
        var oh = w > 7 ? Vector512.LoadUnsafe(ref o0, 112) : default;
        double objective = 0;
        var ahead = Math.Min(PrefetchDistance, rows.Length);
        for (var j = 0; j < rows.Length; j++)
        {
            // The rows are scattered over a matrix larger than the caches (the item half reads user rows): start loading
            // the one a few iterations ahead so its lines arrive while this one is computed.
            if (j + ahead < rows.Length)
            {
                PrefetchRow(ref f0, rows[j + ahead] * k, w);
            }

            ref var y = ref Unsafe.Add(ref f0, rows[j] * k);
            var ya = Vector512.LoadUnsafe(ref y, 0);
            var yb = w > 1 ? Vector512.LoadUnsafe(ref y, 16) : default;
            var yc = w > 2 ? Vector512.LoadUnsafe(ref y, 32) : default;
            var yd = w > 3 ? Vector512.LoadUnsafe(ref y, 48) : default;
            var ye = w > 4 ? Vector512.LoadUnsafe(ref y, 64) : default;
            var yf = w > 5 ? Vector512.LoadUnsafe(ref y, 80) : default;
            var yg = w > 6 ? Vector512.LoadUnsafe(ref y, 96) : default;
            var yh = w > 7 ? Vector512.LoadUnsafe(ref y, 112) : default;

            // Two independent chains, joined once: a shorter path to the dot product than one chain of w FMAs.
            var even = ya * va;
            var odd = w > 1 ? yb * vb : Vector512<float>.Zero;
            even = w > 2 ? Vector512.FusedMultiplyAdd(yc, vc, even) : even;
            odd = w > 3 ? Vector512.FusedMultiplyAdd(yd, vd, odd) : odd;
            even = w > 4 ? Vector512.FusedMultiplyAdd(ye, ve, even) : even;
            odd = w > 5 ? Vector512.FusedMultiplyAdd(yf, vf, odd) : odd;
            even = w > 6 ? Vector512.FusedMultiplyAdd(yg, vg, even) : even;
            odd = w > 7 ? Vector512.FusedMultiplyAdd(yh, vh, odd) : odd;
            var dot = Vector512.Sum(even + odd);

            var cv = Vector512.Create(Coefficient(dot, confidence[j], residual, ref objective));
            oa = Vector512.FusedMultiplyAdd(ya, cv, oa);
            ob = w > 1 ? Vector512.FusedMultiplyAdd(yb, cv, ob) : ob;
            oc = w > 2 ? Vector512.FusedMultiplyAdd(yc, cv, oc) : oc;
            od = w > 3 ? Vector512.FusedMultiplyAdd(yd, cv, od) : od;
            oe = w > 4 ? Vector512.FusedMultiplyAdd(ye, cv, oe) : oe;
            of = w > 5 ? Vector512.FusedMultiplyAdd(yf, cv, of) : of;
            og = w > 6 ? Vector512.FusedMultiplyAdd(yg, cv, og) : og;
            oh = w > 7 ? Vector512.FusedMultiplyAdd(yh, cv, oh) : oh;
        }

        oa.StoreUnsafe(ref o0, 0);
        if (w > 1)
        {
            ob.StoreUnsafe(ref o0, 16);
        }

        if (w > 2)
        {
            oc.StoreUnsafe(ref o0, 32);
        }

        if (w > 3)
        {
            od.StoreUnsafe(ref o0, 48);
        }

        if (w > 4)
        {
            oe.StoreUnsafe(ref o0, 64);
        }

        if (w > 5)
        {
            of.StoreUnsafe(ref o0, 80);
        }

        if (w > 6)
        {
            og.StoreUnsafe(ref o0, 96);
        }

        if (w > 7)
        {
            oh.StoreUnsafe(ref o0, 112);
        }

        return objective;
    }

    /// <summary>How many rows ahead <see cref="AccumulateInRegisters{TWidth}"/> asks for a row's cache lines.</summary>
    private const int PrefetchDistance = 8;

    /// <summary>A hint to load the <paramref name="lines"/> cache lines (16 floats each) of the row at <paramref name="offset"/>; nothing without SSE.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchRow(ref float start, int offset, int lines)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        // A prefetch never faults and changes no result, so an address the GC has since moved costs a wasted hint at worst.
        var row = (float*)Unsafe.AsPointer(ref Unsafe.Add(ref start, offset));
        for (var line = 0; line < lines; line++)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + (16 * line));
        }
    }

    /// <summary>sum += y yᵀ (k×k, row-major).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddOuterProduct(ReadOnlySpan<float> y, Span<float> sum, int k)
    {
        if (Vector512.IsHardwareAccelerated && k % 16 == 0)
        {
            ref var y0 = ref MemoryMarshal.GetReference(y);
            ref var s0 = ref MemoryMarshal.GetReference(sum);
            for (var i = 0; i < k; i++)
            {
                var c = Vector512.Create(y[i]);
                var row = (nuint)(i * k);
                for (nuint f = 0; f < (nuint)k; f += 16)
                {
                    Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref y0, f), c, Vector512.LoadUnsafe(ref s0, row + f)).StoreUnsafe(ref s0, row + f);
                }
            }

            return;
        }

        for (var i = 0; i < k; i++)
        {
            MultiplyAdd(y, y[i], sum.Slice(i * k, k), sum.Slice(i * k, k));
        }
    }

    /// <summary>output = G·v; G is symmetric, so output = Σ_j v_j G[j, :] — rows streamed with vector FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GramTimes(ReadOnlySpan<float> gram, ReadOnlySpan<float> v, Span<float> output, int k)
    {
        if (Vector512.IsHardwareAccelerated && k % 16 == 0)
        {
            ref var g0 = ref MemoryMarshal.GetReference(gram);
            ref var o0 = ref MemoryMarshal.GetReference(output);
            output.Clear();
            for (var j = 0; j < k; j++)
            {
                var c = Vector512.Create(v[j]);
                var row = (nuint)(j * k);
                for (nuint f = 0; f < (nuint)k; f += 16)
                {
                    Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g0, row + f), c, Vector512.LoadUnsafe(ref o0, f)).StoreUnsafe(ref o0, f);
                }
            }

            return;
        }

        for (var i = 0; i < k; i++)
        {
            output[i] = Dot(gram.Slice(i * k, k), v);
        }
    }
}
