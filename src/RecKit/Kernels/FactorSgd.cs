using System.Runtime.CompilerServices;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Kernels;

/// <summary>
/// The SGD update of a factor pair for a residual e: p ← p + lr(e·q − λp), q ← q + lr(e·p_old − λq),
/// written as two fused vector passes over the factors.
/// </summary>
internal static class FactorSgd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(Span<float> p, Span<float> q, float error, float learningRate, float regularization)
    {
        Span<float> old = stackalloc float[p.Length];
        p.CopyTo(old);
        var decay = 1f - (learningRate * regularization);
        var gain = learningRate * error;
        // p = decay·p + gain·q ; q = decay·q + gain·p_old
        Multiply(p, decay, p);
        MultiplyAdd(q, gain, p, p);
        Multiply(q, decay, q);
        MultiplyAdd(old, gain, q, q);
    }
}
