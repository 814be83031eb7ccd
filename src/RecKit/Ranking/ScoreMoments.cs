namespace RecKit.Ranking;

/// <summary>The mean and spread (population standard deviation) of scores, summed in doubles in their order.</summary>
internal static class ScoreMoments
{
    /// <summary>(0, 0) for no scores.</summary>
    public static (double Mean, double Spread) Of(ReadOnlySpan<float> scores)
    {
        if (scores.IsEmpty)
        {
            return (0, 0);
        }

        double sum = 0, squares = 0;
        foreach (var score in scores)
        {
            sum += score;
            squares += (double)score * score;
        }

        var mean = sum / scores.Length;
        return (mean, Math.Sqrt(Math.Max(0, (squares / scores.Length) - (mean * mean))));
    }
}
