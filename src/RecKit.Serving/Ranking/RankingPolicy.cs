namespace RecKit.Serving;

/// <summary>
/// Which ranker answers a request, and every fallback, in one place. The variant is the one asked for, else the user's
/// experiment arm's, else the bundle's default (the offline winner). A user with no history at all (unknown to the
/// bundle, nothing ingested) gets popularity; a user the bundle does not know but who has a live history gets the
/// visitor ranker (the best variant that follows a live history) unless a variant was asked for; a variant that can
/// score none of the catalogue for this user falls back to popularity. The answer names the ranker that actually
/// produced the items and says why.
/// </summary>
public sealed class RankingPolicy(Experiment? experiment)
{
    /// <summary>The variant assigned to the user before any fallback, the arm (null outside an experiment), and why.</summary>
    public (IRanker Ranker, string? Arm, string Reason) Assign(ServingBundle bundle, string user, string? requested)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (requested is not null)
        {
            return (Variant(bundle, requested), null, "requested");
        }

        if (experiment is not null)
        {
            var arm = experiment.Assign(user);
            return bundle.HasVariant(arm.Variant)
                ? (bundle.Ranker(arm.Variant), arm.Name, $"experiment {experiment.Name}, arm {arm.Name}")
                : (bundle.Ranker(bundle.Manifest.DefaultVariant), arm.Name, $"experiment {experiment.Name}, arm {arm.Name}: variant {arm.Variant} is not in bundle {bundle.Version}, so the default");
        }

        return (bundle.Ranker(bundle.Manifest.DefaultVariant), null, "the bundle's default variant");
    }

    /// <summary>Ranks for a user, applying every fallback.</summary>
    /// <param name="added">Items added since the bundle that the chosen ranker may return when its models score them (null: none).</param>
    public RankedAnswer Rank(ServingBundle bundle, LiveUser user, int k, Func<int, bool>? allow, string? requested, NewCandidates? added = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(user);
        var (ranker, arm, reason) = Assign(bundle, user.Id, requested);
        if (user.Index < 0 && user.History.Length == 0)
        {
            return Run(bundle.Popular, user, k, allow, arm, $"{reason}; no history (unknown to bundle {bundle.Version}, nothing ingested): popularity", cold: true, null);
        }

        if (user.Index < 0 && requested is null)
        {
            ranker = bundle.VisitorRanker;
            reason = $"{reason}; unknown to bundle {bundle.Version}: ranked from the live history by {ranker.Name}";
        }

        return Run(ranker, user, k, allow, arm, reason, cold: false, added);
    }

    /// <summary>Ranks a visitor known only by a list of items (no state kept).</summary>
    /// <param name="allow">Which items may be returned (null: all).</param>
    public static RankedAnswer RankVisitor(ServingBundle bundle, LiveUser visitor, int k, string? requested, Func<int, bool>? allow = null, NewCandidates? added = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(visitor);
        if (visitor.History.Length == 0)
        {
            return Run(bundle.Popular, visitor, k, allow, null, "an empty history: popularity", cold: true, null);
        }

        return requested is null
            ? Run(bundle.VisitorRanker, visitor, k, allow, null, $"a visitor: ranked from the history by {bundle.VisitorRanker.Name}", cold: false, added)
            : Run(Variant(bundle, requested), visitor, k, allow, null, "requested", cold: false, added);
    }

    /// <summary>The variant a request names, or a request error listing the bundle's variants.</summary>
    public static IRanker Variant(ServingBundle bundle, string variant)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return bundle.HasVariant(variant) ? bundle.Ranker(variant) : throw new RequestFieldException("variant", $"unknown variant '{variant}'; this bundle offers {string.Join(", ", bundle.Variants)}.");
    }

    private static RankedAnswer Run(IRanker ranker, LiveUser user, int k, Func<int, bool>? allow, string? arm, string reason, bool cold, NewCandidates? added)
    {
        var items = ranker.Recommend(user, k, allow, added);
        return items.FromFallback
            ? new RankedAnswer(items, "popularity", arm, $"{reason}; {ranker.Name} cannot score this user: popularity", cold)
            : new RankedAnswer(items, ranker.Name, arm, reason, cold);
    }
}

/// <summary>A ranked answer: the items, the ranker that produced them, the experiment arm, why that ranker, and whether the user was cold.</summary>
public sealed record RankedAnswer(RankedItems Items, string Ranker, string? Arm, string Reason, bool Cold);
