using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Kernels;

/// <summary>
/// One pairwise SGD step on (x, y_pos, y_neg) given the loss's gradient scale g = −∂loss/∂d (d = x·y_pos − x·y_neg):
/// x += lr(g(y_pos − y_neg) − λx), y_pos += lr(g·x − λy_pos), y_neg += lr(−g·x − λy_neg), all from the old values.
/// </summary>
internal static class PairwiseStep
{
    /// <summary>x·(positive − negative) in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Margin(ReadOnlySpan<float> x, ReadOnlySpan<float> positive, ReadOnlySpan<float> negative)
    {
        var k = x.Length;
        if (Vector512.IsHardwareAccelerated && k % 16 == 0)
        {
            ref var x0 = ref MemoryMarshal.GetReference(x);
            ref var p0 = ref MemoryMarshal.GetReference(positive);
            ref var n0 = ref MemoryMarshal.GetReference(negative);
            var acc = Vector512<float>.Zero;
            for (nuint f = 0; f < (nuint)k; f += 16)
            {
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, f), Vector512.LoadUnsafe(ref p0, f) - Vector512.LoadUnsafe(ref n0, f), acc);
            }

            return Vector512.Sum(acc);
        }

        return Dot(x, positive) - Dot(x, negative);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(Span<float> x, Span<float> positive, Span<float> negative, float g, float learningRate, float regularization)
    {
        if (Vector512.IsHardwareAccelerated && x.Length % 16 == 0)
        {
            // One pass, every new value from the old ones held in registers.
            ref var x0 = ref MemoryMarshal.GetReference(x);
            ref var p0 = ref MemoryMarshal.GetReference(positive);
            ref var n0 = ref MemoryMarshal.GetReference(negative);
            var keep = Vector512.Create(1f - (learningRate * regularization));
            var step = Vector512.Create(learningRate * g);
            for (nuint f = 0; f < (nuint)x.Length; f += 16)
            {
                var xv = Vector512.LoadUnsafe(ref x0, f);
                var pv = Vector512.LoadUnsafe(ref p0, f);
                var nv = Vector512.LoadUnsafe(ref n0, f);
                Vector512.FusedMultiplyAdd(step, pv - nv, xv * keep).StoreUnsafe(ref x0, f);
                Vector512.FusedMultiplyAdd(step, xv, pv * keep).StoreUnsafe(ref p0, f);
                Vector512.FusedMultiplyAdd(-step, xv, nv * keep).StoreUnsafe(ref n0, f);
            }

            return;
        }

        Span<float> oldX = stackalloc float[x.Length];
        Span<float> difference = stackalloc float[x.Length];
        x.CopyTo(oldX);
        Subtract(positive, negative, difference);
        var decay = 1f - (learningRate * regularization);
        var gain = learningRate * g;
        Multiply(x, decay, x);
        MultiplyAdd(difference, gain, x, x);
        Multiply(positive, decay, positive);
        MultiplyAdd(oldX, gain, positive, positive);
        Multiply(negative, decay, negative);
        MultiplyAdd(oldX, -gain, negative, negative);
    }
}
