namespace RecKit.Kernels;

/// <summary>Plain reference for <see cref="FactorScoring"/>: one dot product per (user, item), in double.</summary>
internal static class FactorScoringReference
{
    public static float[] ScoreBlock(float[] userFactors, float[] itemFactors, float[]? itemBias, int items, int factors)
    {
        var users = userFactors.Length / factors;
        var scores = new float[users * items];
        for (var u = 0; u < users; u++)
        {
            for (var i = 0; i < items; i++)
            {
                double sum = itemBias?[i] ?? 0;
                for (var f = 0; f < factors; f++)
                {
                    sum += (double)userFactors[(u * factors) + f] * itemFactors[(i * factors) + f];
                }

                scores[(u * items) + i] = (float)sum;
            }
        }

        return scores;
    }
}
