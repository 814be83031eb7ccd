using System.Runtime.CompilerServices;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Kernels;

/// <summary>
/// One pairwise SGD step on (x, y_pos, y_neg) given the loss's gradient scale g = −∂loss/∂d (d = x·y_pos − x·y_neg):
/// x += lr(g(y_pos − y_neg) − λx), y_pos += lr(g·x − λy_pos), y_neg += lr(−g·x − λy_neg), all from the old values.
/// </summary>
public static class PairwiseStep
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(Span<float> x, Span<float> positive, Span<float> negative, float g, float learningRate, float regularization)
    {
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
