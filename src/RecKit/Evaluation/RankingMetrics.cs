namespace RecKit.Evaluation;

/// <summary>
/// Per-user ranking metrics as DESIGN.md defines them, on a ranked list given as hit flags
/// (hits[i] is true when the item at rank i+1 is relevant) and the number of relevant items.
/// </summary>
public static class RankingMetrics
{
    public static double HitRate(ReadOnlySpan<bool> hits, int k)
    {
        foreach (var h in hits[..Math.Min(k, hits.Length)])
        {
            if (h)
            {
                return 1;
            }
        }

        return 0;
    }

    public static double Precision(ReadOnlySpan<bool> hits, int k) => (double)CountHits(hits, k) / k;

    public static double Recall(ReadOnlySpan<bool> hits, int k, int relevant) =>
        relevant == 0 ? 0 : (double)CountHits(hits, k) / relevant;

    /// <summary>AP@K = (1 / min(K, |rel|)) × Σ precision@i over hit positions i ≤ K.</summary>
    public static double AveragePrecision(ReadOnlySpan<bool> hits, int k, int relevant)
    {
        if (relevant == 0)
        {
            return 0;
        }

        double sum = 0;
        var found = 0;
        var n = Math.Min(k, hits.Length);
        for (var i = 0; i < n; i++)
        {
            if (hits[i])
            {
                found++;
                sum += (double)found / (i + 1);
            }
        }

        return sum / Math.Min(k, relevant);
    }

    /// <summary>Binary gains, discount log2(i+1), ideal DCG over min(K, |rel|) hits.</summary>
    public static double Ndcg(ReadOnlySpan<bool> hits, int k, int relevant)
    {
        if (relevant == 0)
        {
            return 0;
        }

        double dcg = 0;
        var n = Math.Min(k, hits.Length);
        for (var i = 0; i < n; i++)
        {
            if (hits[i])
            {
                dcg += 1.0 / Math.Log2(i + 2);
            }
        }

        double ideal = 0;
        var m = Math.Min(k, relevant);
        for (var i = 0; i < m; i++)
        {
            ideal += 1.0 / Math.Log2(i + 2);
        }

        return dcg / ideal;
    }

    /// <summary>1 / rank of the first relevant item (rank is 1-based in the full ranking; 0 when none is ranked).</summary>
    public static double ReciprocalRank(long firstRelevantRank) => firstRelevantRank > 0 ? 1.0 / firstRelevantRank : 0;

    private static int CountHits(ReadOnlySpan<bool> hits, int k)
    {
        var count = 0;
        foreach (var h in hits[..Math.Min(k, hits.Length)])
        {
            count += h ? 1 : 0;
        }

        return count;
    }
}
