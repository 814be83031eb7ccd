namespace RecKit.Models;

/// <summary>The rule every choice made on held-out data follows (the two-tower's content weight, ALS's weighting).</summary>
internal static class HeldOutChoice
{
    /// <summary>
    /// The index of the best score; a later candidate must beat an earlier one by more than rounding to replace it, so
    /// ties go to the earlier (the smaller weight, the defaults first).
    /// </summary>
    public static int Best(IReadOnlyList<double> scores)
    {
        var best = 0;
        for (var c = 1; c < scores.Count; c++)
        {
            best = scores[c] > scores[best] + 1e-9 ? c : best;
        }

        return best;
    }
}
