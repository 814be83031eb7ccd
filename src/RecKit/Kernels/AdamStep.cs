using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RecKit.Kernels;

/// <summary>
/// One Adam update of a parameter row (β1 0.9, β2 0.999, ε 1e-8, PyTorch's coupled weight decay: the decay is
/// added to the gradient). The step count is the row's own, so rows a batch does not touch stay put (lazy Adam)
/// and their bias correction stays right.
/// </summary>
internal static class AdamStep
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    /// <param name="t">How many updates this row has had, this one included (1-based).</param>
    /// <remarks>
    /// Vectors of 16 with the scalar loop's operations in the scalar loop's order (no fused multiply-adds; square root
    /// and division are exact in both), so every lane gives the scalar result bit for bit.
    /// </remarks>
    public static void Apply(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, int t, float learningRate, float weightDecay) =>
        Apply(parameter, gradient, m, v, Correction1(t), Correction2(t), learningRate, weightDecay);

    /// <summary>1 / (1 − β1^t), the bias correction of the first moment after t updates.</summary>
    public static float Correction1(int t) => 1f / (1f - MathF.Pow(Beta1, t));

    /// <summary>1 / (1 − β2^t), the bias correction of the second moment after t updates.</summary>
    public static float Correction2(int t) => 1f / (1f - MathF.Pow(Beta2, t));

    /// <summary>The update with the bias corrections given (from <see cref="Correction1"/> and <see cref="Correction2"/>,
    /// which a caller updating many rows can tabulate once per step count instead of two powers per row).</summary>
    public static void Apply(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, float correction1, float correction2, float learningRate, float weightDecay)
    {
        var f = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            ref var p0 = ref MemoryMarshal.GetReference(parameter);
            ref var g0 = ref MemoryMarshal.GetReference(gradient);
            ref var m0 = ref MemoryMarshal.GetReference(m);
            ref var v0 = ref MemoryMarshal.GetReference(v);
            var (decay, b1, b2, c1, c2, rate) = (Vector512.Create(weightDecay), Vector512.Create(Beta1), Vector512.Create(Beta2), Vector512.Create(correction1), Vector512.Create(correction2), Vector512.Create(learningRate));
            var (oneMinusB1, oneMinusB2, epsilon) = (Vector512.Create(1 - Beta1), Vector512.Create(1 - Beta2), Vector512.Create(Epsilon));
            for (; f + 16 <= parameter.Length; f += 16)
            {
                var at = (nuint)f;
                var p = Vector512.LoadUnsafe(ref p0, at);
                var grad = Vector512.LoadUnsafe(ref g0, at) + (decay * p);
                var mf = (b1 * Vector512.LoadUnsafe(ref m0, at)) + (oneMinusB1 * grad);
                var vf = (b2 * Vector512.LoadUnsafe(ref v0, at)) + (oneMinusB2 * grad * grad);
                mf.StoreUnsafe(ref m0, at);
                vf.StoreUnsafe(ref v0, at);
                (p - (rate * (mf * c1) / (Vector512.Sqrt(vf * c2) + epsilon))).StoreUnsafe(ref p0, at);
            }
        }

        for (; f < parameter.Length; f++)
        {
            var grad = gradient[f] + (weightDecay * parameter[f]);
            m[f] = (Beta1 * m[f]) + ((1 - Beta1) * grad);
            v[f] = (Beta2 * v[f]) + ((1 - Beta2) * grad * grad);
            parameter[f] -= learningRate * (m[f] * correction1) / (MathF.Sqrt(v[f] * correction2) + Epsilon);
        }
    }
}
