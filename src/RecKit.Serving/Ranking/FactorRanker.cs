namespace RecKit.Serving;

/// <summary>
/// A single base model served directly (the "factor path" for ALS or BPR; any base model works). A user the model
/// cannot score at all (a visitor, for a model without a history path) is answered by <paramref name="fallback"/>.
/// </summary>
public sealed class FactorRanker(LiveScorer scorer, IRanker? fallback = null) : IRanker
{
    public string Name => scorer.Name;

    public string Kind => "factor";

    /// <summary>Whether this model scores from a live history (so it can rank a visitor or a user the bundle never saw).</summary>
    public bool FollowsHistory => scorer.FollowsHistory && scorer.Model is not Models.PopularityModel;

    public RankedItems Recommend(LiveUser user, int k, Func<int, bool>? allow = null)
    {
        var n = scorer.ItemCount;
        var buffer = ScoreBuffers.Rent(n);
        try
        {
            var scores = buffer.AsSpan(0, n);
            scorer.ScoreAll(user, scores);
            ScoreBuffers.Mask(scores, user.Excluded, allow);
            var (items, values) = ScoreBuffers.Top(scores, k);
            return items.Length == 0 && fallback is not null ? fallback.Recommend(user, k, allow) with { FromFallback = true } : new RankedItems(items, values);
        }
        finally
        {
            ScoreBuffers.Return(buffer);
        }
    }
}
