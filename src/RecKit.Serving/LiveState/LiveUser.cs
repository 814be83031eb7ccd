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

    /// <summary>
    /// The user as a request sees them when something was ingested since the bundle: the bundle's items (ascending)
    /// merged with the ingested positives (ascending; an item in both gets the sum of its weights), every item of the
    /// history and every negative excluded. Shared by every <see cref="ILiveUserState"/>.
    /// </summary>
    public static LiveUser Merge(string id, int index, ReadOnlySpan<int> bundleItems, ReadOnlySpan<float> bundleValues, ReadOnlySpan<int> added, ReadOnlySpan<float> weights, int[] negatives, FoldCache? folds)
    {
        var history = new int[bundleItems.Length + added.Length];
        var values = new float[history.Length];
        int a = 0, b = 0, n = 0;
        while (a < bundleItems.Length || b < added.Length)
        {
            if (b == added.Length || (a < bundleItems.Length && bundleItems[a] < added[b]))
            {
                (history[n], values[n]) = (bundleItems[a], bundleValues[a]);
                a++;
            }
            else if (a == bundleItems.Length || added[b] < bundleItems[a])
            {
                (history[n], values[n]) = (added[b], weights[b]);
                b++;
            }
            else
            {
                (history[n], values[n]) = (added[b], bundleValues[a] + weights[b]);
                a++;
                b++;
            }

            n++;
        }

        Array.Resize(ref history, n);
        Array.Resize(ref values, n);
        var excluded = negatives.Length == 0 ? history : history.Union(negatives).Order().ToArray();
        return new LiveUser(id, index, history, values, excluded, Changed: true) { Folds = folds };
    }

    /// <summary>A user with nothing ingested since the bundle: the bundle's row as it is.</summary>
    public static LiveUser Unchanged(string id, int index, ReadOnlySpan<int> bundleItems, ReadOnlySpan<float> bundleValues)
    {
        var items = bundleItems.ToArray();
        return new LiveUser(id, index, items, bundleValues.ToArray(), items, Changed: false);
    }
}
