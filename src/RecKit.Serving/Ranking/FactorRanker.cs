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

    public RankedItems Recommend(LiveUser user, int k, Func<int, bool>? allow = null, NewCandidates? added = null)
    {
        var ranked = RankBundle(user, k, allow);
        return added is not null && !ranked.FromFallback && NewItemRanking.Score(scorer, user, added) is { } scores
            ? NewItemRanking.Merge(ranked, scores, added.Offset, k)
            : ranked;
    }

    private RankedItems RankBundle(LiveUser user, int k, Func<int, bool>? allow)
    {
        if (scorer.Index is { } index)
        {
            // A factor model: the user's vector goes to the item index (retrieval), when they are scored by one.
            var factors = index.Dimensions;
            var rented = factors > 256 ? System.Buffers.ArrayPool<float>.Shared.Rent(factors) : null;
            try
            {
                var vector = rented is null ? stackalloc float[factors] : rented.AsSpan(0, factors);
                if (scorer.TryQuery(user, vector, out var offset))
                {
                    var (found, scores) = index.Search(vector, offset, k, user.Excluded, allow);
                    return Answer(found, scores, user, k, allow);
                }
            }
            finally
            {
                if (rented is not null)
                {
                    System.Buffers.ArrayPool<float>.Shared.Return(rented);
                }
            }
        }

        if (scorer.RanksByOrder(user))
        {
            var (top, values) = scorer.OrderedTop(user, k, allow);
            return Answer(top, values, user, k, allow);
        }

        // Item-kNN touches the neighbours of the user's items alone: its top-k comes from them when they fill it.
        using var sparse = scorer.ScoreSparse(user);
        if (sparse?.Top(k, user.Excluded, allow) is { } sparseTop)
        {
            return Answer(sparseTop.Items, sparseTop.Scores, user, k, allow);
        }

        var n = scorer.ItemCount;
        var buffer = ScoreBuffers.Rent(n);
        try
        {
            var scores = buffer.AsSpan(0, n);
            if (sparse is not null)
            {
                sparse.All.CopyTo(scores);
            }
            else
            {
                scorer.ScoreAll(user, scores);
            }

            ScoreBuffers.Mask(scores, user.Excluded, allow);
            var (items, values) = ScoreBuffers.Top(scores, k);
            return Answer(items, values, user, k, allow);
        }
        finally
        {
            ScoreBuffers.Return(buffer);
        }
    }

    /// <summary>The items found, or the fallback's answer (marked as such) when the model could score none.</summary>
    private RankedItems Answer(int[] items, float[] scores, LiveUser user, int k, Func<int, bool>? allow) =>
        items.Length == 0 && fallback is not null ? fallback.Recommend(user, k, allow, null) with { FromFallback = true } : new RankedItems(items, scores);
}
