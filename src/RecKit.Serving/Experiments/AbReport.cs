namespace RecKit.Serving;

/// <summary>
/// One arm's figures: users with impressions, impressions, clicks joined to them, CTR with its 95% interval clustered
/// by user, and how much of the long tail the arm showed.
/// </summary>
public sealed record AbArm(string Arm, string Variants, long Users, long Impressions, long Clicks, double Ctr, double CtrLow, double CtrHigh, double TailShare, int TailItemsShown);

/// <summary>
/// A treatment arm against the control: the CTR difference in percentage points (treatment − control, as a share:
/// 0.01 is one point) and the relative change (treatment / control − 1), each with its 95% interval.
/// </summary>
public sealed record AbDifference(string Control, string Treatment, double Points, double PointsLow, double PointsHigh, double Relative, double RelativeLow, double RelativeHigh)
{
    /// <summary>Whether the interval of the difference leaves out 0.</summary>
    public bool Significant => PointsLow > 0 || PointsHigh < 0;
}

/// <summary>Which feedback an A/B report reads.</summary>
public sealed record AbReportOptions
{
    /// <summary>The experiment, by name: feedback logged outside it is left out and counted.</summary>
    public required string Experiment { get; init; }

    /// <summary>The arms, in order (from the experiment's configuration); null: the arms found in the log, in order of first appearance.</summary>
    public IReadOnlyList<string>? Arms { get; init; }

    /// <summary>The arm the others are compared with; null: the first arm.</summary>
    public string? Control { get; init; }

    /// <summary>Only feedback logged at or after this Unix time in milliseconds.</summary>
    public long? From { get; init; }

    /// <summary>Only feedback logged before this Unix time in milliseconds.</summary>
    public long? To { get; init; }

    /// <summary>Only feedback logged while this bundle version served.</summary>
    public string? Bundle { get; init; }
}

/// <summary>The readout of one experiment, and what it left out.</summary>
/// <param name="OutsideExperiment">Impressions and clicks of other experiments or of none.</param>
/// <param name="OutsideFilters">Impressions and clicks of this experiment outside the time window or bundle.</param>
/// <param name="OrphanClicks">Clicks with no impression of that item to that user in that arm: counted, never in a CTR.</param>
/// <param name="UnknownArm">Impressions and clicks logged under an arm the experiment does not have.</param>
public sealed record AbReportResult(string Experiment, string Control, IReadOnlyList<AbArm> Arms, IReadOnlyList<AbDifference> Differences, long OutsideExperiment, long OutsideFilters, long OrphanClicks, long UnknownArm);

/// <summary>
/// design note 3 §9.2's readout of one experiment from the service's impression and click log. A click counts only
/// when it joins an impression of the same item to the same user in the same arm (at most one click per impression).
/// The unit of randomisation is the user, so a user's impressions are not independent trials: CTR is a ratio of
/// per-user sums and its variance comes from the delta method over users (<see cref="RatioEstimate"/>), which is what
/// keeps a heavy user's hundred impressions from narrowing the interval as if they were a hundred users. Long-tail
/// exposure per arm is the share of impressions that were long-tail items, and how many distinct tail items were shown
/// (the long tail: every item outside the most popular items that make up <see cref="HeadShare"/> of the interactions).
/// </summary>
public static class AbReport
{
    public const double HeadShare = 0.5;

    private const double Z95 = 1.959963984540054;

    public static AbReportResult Compute(IEnumerable<StoredFeedback> feedback, IReadOnlySet<string> tail, AbReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(tail);
        ArgumentNullException.ThrowIfNull(options);
        long outside = 0, filtered = 0, unknownArm = 0;
        var known = options.Arms is { } configured ? new HashSet<string>(configured, StringComparer.Ordinal) : null;
        var order = new List<string>(options.Arms ?? []);
        var cells = new Dictionary<(string Arm, string User, string Item), (int Impressions, int Clicks)>();
        var variants = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var f in feedback)
        {
            if (f.Experiment != options.Experiment)
            {
                outside++;
                continue;
            }

            if ((options.From is { } from && f.Timestamp < from) || (options.To is { } to && f.Timestamp >= to) || (options.Bundle is { } bundle && f.Bundle != bundle))
            {
                filtered++;
                continue;
            }

            if (known is not null && !known.Contains(f.Arm))
            {
                unknownArm++;
                continue;
            }

            if (known is null && !variants.ContainsKey(f.Arm))
            {
                order.Add(f.Arm);
            }

            if (!variants.TryGetValue(f.Arm, out var names))
            {
                variants[f.Arm] = names = new SortedSet<string>(StringComparer.Ordinal);
            }

            names.Add(f.Variant);
            var key = (f.Arm, f.User, f.Item);
            var cell = cells.GetValueOrDefault(key);
            cells[key] = f.Kind == "impression" ? (cell.Impressions + 1, cell.Clicks) : (cell.Impressions, cell.Clicks + 1);
        }

        var control = options.Control ?? (order.Count > 0 ? order[0] : throw new ArgumentException($"experiment '{options.Experiment}': no impressions or clicks were logged in it."));
        if (!order.Contains(control))
        {
            throw new ArgumentException($"experiment '{options.Experiment}': control '{control}' is not one of its arms ({string.Join(", ", order)}).");
        }

        long orphans = 0;
        var perUser = new Dictionary<(string Arm, string User), (double Clicks, double Impressions)>();
        var tailShown = order.ToDictionary(a => a, _ => (Impressions: 0L, Items: new HashSet<string>(StringComparer.Ordinal)), StringComparer.Ordinal);
        foreach (var ((arm, user, item), (impressions, clicks)) in cells)
        {
            var joined = Math.Min(clicks, impressions);
            orphans += clicks - joined;
            if (impressions == 0)
            {
                continue;
            }

            var sums = perUser.GetValueOrDefault((arm, user));
            perUser[(arm, user)] = (sums.Clicks + joined, sums.Impressions + impressions);
            if (tail.Contains(item))
            {
                var shown = tailShown[arm];
                tailShown[arm] = (shown.Impressions + impressions, shown.Items);
                shown.Items.Add(item);
            }
        }

        var estimates = order.ToDictionary(a => a, a => RatioEstimate.Of(perUser.Where(p => p.Key.Arm == a).Select(p => p.Value).ToList()), StringComparer.Ordinal);
        var arms = order.Select(a =>
        {
            var e = estimates[a];
            var half = Z95 * Math.Sqrt(e.Variance);
            return new AbArm(a, string.Join("+", variants.GetValueOrDefault(a) ?? []), e.Units, (long)e.Denominator, (long)e.Numerator, e.Ratio, Math.Max(0, e.Ratio - half), Math.Min(1, e.Ratio + half),
                e.Denominator == 0 ? 0 : tailShown[a].Impressions / e.Denominator, tailShown[a].Items.Count);
        }).ToList();
        var differences = order.Where(a => a != control && estimates[a].Units > 0 && estimates[control].Units > 0)
            .Select(a => Difference(control, a, estimates[control], estimates[a])).ToList();
        return new AbReportResult(options.Experiment, control, arms, differences, outside, filtered, orphans, unknownArm);
    }

    /// <summary>Treatment against control: the difference of two independent ratio estimates, and their quotient (delta method).</summary>
    public static AbDifference Difference(string control, string treatment, RatioEstimate c, RatioEstimate t)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(t);
        var points = t.Ratio - c.Ratio;
        var half = Z95 * Math.Sqrt(t.Variance + c.Variance);
        double relative = double.NaN, relativeHalf = double.NaN;
        if (c.Ratio > 0)
        {
            var q = t.Ratio / c.Ratio;
            relative = q - 1;
            relativeHalf = Z95 * Math.Sqrt((t.Variance / (c.Ratio * c.Ratio)) + (t.Ratio * t.Ratio * c.Variance / Math.Pow(c.Ratio, 4)));
        }

        return new AbDifference(control, treatment, points, points - half, points + half, relative, relative - relativeHalf, relative + relativeHalf);
    }

    /// <summary>Items outside the popular head: the fewest most-interacted items that make up <see cref="HeadShare"/> of all interactions are the head.</summary>
    public static IReadOnlySet<string> LongTail(ServingBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return BundleProfile.Of(bundle).LongTail(HeadShare);
    }
}
