namespace RecKit.Serving;

/// <summary>Which stored interactions belong in a bundle's live state, and as what.</summary>
public static class LiveRows
{
    /// <summary>
    /// Whether a stored interaction belongs in the live state over <paramref name="bundle"/>: what the bundle was trained
    /// with is in it, except exclusions (dislike, hide): a retrain leaves them out of the data, so they are replayed from
    /// the whole store and survive every retrain, reload and restart.
    /// </summary>
    public static bool Replays(ServingBundle bundle, FeedbackTypes types, StoredInteraction x)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(x);
        return x.Id > bundle.Manifest.IngestedThrough || types.Weights.GetValueOrDefault(x.Type) < 0;
    }

    /// <summary>A stored interaction as the live state takes it, or null when the type is no longer configured or the bundle lacks the item (a retrained bundle may).</summary>
    public static LiveInteraction? ToLive(ServingBundle bundle, FeedbackTypes types, StoredInteraction x, long id)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(x);
        return types.IsKnown(x.Type) && bundle.Items.TryGetIndex(x.Item, out var item)
            ? new LiveInteraction(x.User, item, (float)(types.Weights[x.Type] * x.Value), id)
            : null;
    }

    /// <summary>The rows of <paramref name="stored"/> that belong in the live state over <paramref name="bundle"/>, as it takes them.</summary>
    public static IEnumerable<LiveInteraction> Of(ServingBundle bundle, FeedbackTypes types, IEnumerable<StoredInteraction> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var x in stored)
        {
            if (Replays(bundle, types, x) && ToLive(bundle, types, x, x.Id) is { } row)
            {
                yield return row;
            }
        }
    }
}
