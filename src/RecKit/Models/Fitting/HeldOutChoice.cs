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

    /// <summary>The candidate with the best NDCG@10 summed over the folds (Ndcg[fold][candidate]; ties to the earlier), and each fold's own best.</summary>
    public static (int Best, int[] FoldChoices) Pick(IReadOnlyList<double[]> ndcg)
    {
        ArgumentNullException.ThrowIfNull(ndcg);
        var totals = Enumerable.Range(0, ndcg.Count == 0 ? 0 : ndcg[0].Length).Select(c => ndcg.Sum(f => f[c])).ToArray();
        return (Best(totals), [.. ndcg.Select(Best)]);
    }

    /// <summary>Mean NDCG@10 over the folds of each of <paramref name="candidates"/> candidates (NaN without folds).</summary>
    public static IReadOnlyList<double> Mean(IReadOnlyList<double[]> ndcg, int candidates) =>
        [.. Enumerable.Range(0, candidates).Select(c => ndcg.Count == 0 ? double.NaN : ndcg.Average(f => f[c]))];
}
