namespace RecKit.Serving;

/// <summary>
/// A user as a request sees them: their index in the bundle (−1 for a user the bundle has never seen), their
/// positive history now (the bundle's interactions plus every one ingested since, one entry per item with summed
/// weights), the items never to recommend (history and negative feedback, ascending), and whether anything was
/// ingested since the bundle (then models with per-user state score from the history instead).
/// </summary>
public sealed record LiveUser(string Id, int Index, int[] History, float[] Weights, int[] Excluded, bool Changed)
{
    /// <summary>True when the bundle has the user and nothing has changed since: their stored model state is current.</summary>
    public bool UsesStoredState => Index >= 0 && !Changed;

    /// <summary>The user's folded vectors for this history and bundle, kept by the live state (null: fold every time, as for a visitor).</summary>
    public FoldCache? Folds { get; init; }

    /// <summary>A visitor known only by a list of items (POST /v1/recommendations).</summary>
    public static LiveUser Visitor(IReadOnlyCollection<int> items)
    {
        var history = items.Distinct().Order().ToArray();
        var weights = new float[history.Length];
        Array.Fill(weights, 1f);
        return new LiveUser(string.Empty, -1, history, weights, history, Changed: true);
    }
}
