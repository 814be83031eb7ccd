namespace RecKit.Kernels;

/// <summary>Scalar reference of <see cref="PairwiseStep"/> and of one Adam update, for the agreement tests.</summary>
internal static class PairwiseStepReference
{
    public static void Apply(float[] x, float[] positive, float[] negative, float g, float learningRate, float regularization)
    {
        for (var f = 0; f < x.Length; f++)
        {
            float xf = x[f], pf = positive[f], nf = negative[f];
            x[f] = xf + (learningRate * ((g * (pf - nf)) - (regularization * xf)));
            positive[f] = pf + (learningRate * ((g * xf) - (regularization * pf)));
            negative[f] = nf + (learningRate * ((-g * xf) - (regularization * nf)));
        }
    }

    public static void Adam(float[] parameter, float[] gradient, float[] m, float[] v, int t, float learningRate, float weightDecay)
    {
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        for (var f = 0; f < parameter.Length; f++)
        {
            var grad = gradient[f] + (weightDecay * parameter[f]);
            m[f] = (float)((beta1 * m[f]) + ((1 - beta1) * grad));
            v[f] = (float)((beta2 * v[f]) + ((1 - beta2) * grad * grad));
            var mHat = m[f] / (1 - Math.Pow(beta1, t));
            var vHat = v[f] / (1 - Math.Pow(beta2, t));
            parameter[f] = (float)(parameter[f] - (learningRate * mHat / (Math.Sqrt(vHat) + epsilon)));
        }
    }
}
