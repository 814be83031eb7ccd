namespace RecKit.Serving;

/// <summary>One servable variant: ranks the whole catalogue for a live user, their excluded items never returned.</summary>
public interface IRanker
{
    /// <summary>The variant's name (the model or stack it serves).</summary>
    string Name { get; }

    /// <summary>"factor", "stack" or "popularity".</summary>
    string Kind { get; }

    /// <param name="allow">When given, only items it accepts may be returned (a genre filter, say).</param>
    /// <param name="added">Items added since the bundle that may be returned (as index Offset + row) when the ranker's models score them from their features; null: none.</param>
    RankedItems Recommend(LiveUser user, int k, Func<int, bool>? allow = null, NewCandidates? added = null);
}
