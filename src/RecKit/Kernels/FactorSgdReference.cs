namespace RecKit.Kernels;

/// <summary>Plain scalar version of <see cref="FactorSgd"/>, for the agreement test.</summary>
internal static class FactorSgdReference
{
    public static void Step(float[] p, float[] q, float error, float learningRate, float regularization)
    {
        for (var f = 0; f < p.Length; f++)
        {
            var pf = p[f];
            var qf = q[f];
            p[f] = pf + (learningRate * ((error * qf) - (regularization * pf)));
            q[f] = qf + (learningRate * ((error * pf) - (regularization * qf)));
        }
    }
}
