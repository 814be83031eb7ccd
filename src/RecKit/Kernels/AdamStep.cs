namespace RecKit.Kernels;

/// <summary>
/// One Adam update of a parameter row (β1 0.9, β2 0.999, ε 1e-8, PyTorch's coupled weight decay: the decay is
/// added to the gradient). The step count is the row's own, so rows a batch does not touch stay put (lazy Adam)
/// and their bias correction stays right.
/// </summary>
public static class AdamStep
{
    /// <param name="t">How many updates this row has had, this one included (1-based).</param>
    public static void Apply(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, int t, float learningRate, float weightDecay)
    {
        const float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
        var correction1 = 1f / (1f - MathF.Pow(beta1, t));
        var correction2 = 1f / (1f - MathF.Pow(beta2, t));
        for (var f = 0; f < parameter.Length; f++)
        {
            var grad = gradient[f] + (weightDecay * parameter[f]);
            m[f] = (beta1 * m[f]) + ((1 - beta1) * grad);
            v[f] = (beta2 * v[f]) + ((1 - beta2) * grad * grad);
            parameter[f] -= learningRate * (m[f] * correction1) / (MathF.Sqrt(v[f] * correction2) + epsilon);
        }
    }
}
