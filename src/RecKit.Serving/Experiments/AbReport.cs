namespace RecKit.Serving;

/// <summary>One arm's figures: impressions, clicks, CTR with its 95% interval, and how much of the long tail it showed.</summary>
public sealed record AbArm(string Arm, string Variants, long Impressions, long Clicks, double Ctr, double CtrLow, double CtrHigh, double TailShare, int TailItemsShown);

/// <summary>The difference in CTR between two arms (second minus first) with its 95% interval.</summary>
public sealed record AbDifference(string First, string Second, double Difference, double Low, double High);

/// <summary>
/// design note 3 §9.2's readout of an experiment from the service's impression and click log: CTR per arm with a 95%
/// Wilson interval, the difference between the first two arms with a 95% normal interval, and long-tail exposure
/// per arm (the share of impressions that were long-tail items, and how many distinct tail items were shown; the
/// long tail is every item outside the most popular items that make up <see cref="HeadShare"/> of the interactions).
/// </summary>
public static class AbReport
{
    public const double HeadShare = 0.5;

    public static (IReadOnlyList<AbArm> Arms, AbDifference? Difference) Compute(IEnumerable<StoredFeedback> feedback, IReadOnlySet<string> tail)
    {
        ArgumentNullException.ThrowIfNull(tail);
        var arms = feedback.GroupBy(f => f.Arm.Length > 0 ? f.Arm : f.Variant, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var impressions = g.Where(f => f.Kind == "impression").ToList();
            long n = impressions.Count, clicks = g.LongCount(f => f.Kind == "click");
            var ctr = n == 0 ? 0 : (double)clicks / n;
            var (low, high) = Wilson(Math.Min(clicks, n), n);
            var tailShown = impressions.Where(f => tail.Contains(f.Item)).ToList();
            return new AbArm(g.Key, string.Join("+", g.Select(f => f.Variant).Distinct().Order(StringComparer.Ordinal)), n, clicks, ctr, low, high, n == 0 ? 0 : (double)tailShown.Count / n, tailShown.Select(f => f.Item).Distinct().Count());
        }).ToList();
        AbDifference? difference = null;
        if (arms.Count >= 2 && arms[0].Impressions > 0 && arms[1].Impressions > 0)
        {
            var (a, b) = (arms[0], arms[1]);
            var d = b.Ctr - a.Ctr;
            var se = Math.Sqrt((a.Ctr * (1 - a.Ctr) / a.Impressions) + (b.Ctr * (1 - b.Ctr) / b.Impressions));
            difference = new AbDifference(a.Arm, b.Arm, d, d - (1.96 * se), d + (1.96 * se));
        }

        return (arms, difference);
    }

    /// <summary>Items outside the popular head: the fewest most-interacted items that make up <see cref="HeadShare"/> of all interactions are the head.</summary>
    public static HashSet<string> LongTail(ServingBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var counts = new long[bundle.Items.Count];
        foreach (var item in bundle.History.ColumnIndices)
        {
            counts[item]++;
        }

        var total = counts.Sum();
        var order = Enumerable.Range(0, counts.Length).OrderByDescending(i => counts[i]).ToArray();
        var tail = new HashSet<string>(StringComparer.Ordinal);
        long running = 0;
        foreach (var item in order)
        {
            if (running >= HeadShare * total)
            {
                tail.Add(bundle.Items[item]);
            }

            running += counts[item];
        }

        return tail;
    }

    /// <summary>The Wilson score interval at 95% for k successes in n trials.</summary>
    public static (double Low, double High) Wilson(long k, long n)
    {
        if (n == 0)
        {
            return (0, 1);
        }

        const double z = 1.96;
        var p = (double)k / n;
        var denominator = 1 + (z * z / n);
        var centre = (p + (z * z / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4.0 * n * n))) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
