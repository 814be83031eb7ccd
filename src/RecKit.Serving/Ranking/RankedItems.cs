namespace RecKit.Serving;

/// <summary>
/// A ranker's answer: items best first with their scores, and for a stack the feature rows that produced them
/// (items × <see cref="FeatureNames"/>, for explain=true; null otherwise). <see cref="FromFallback"/> is true when the
/// variant could not score this user at all and popularity answered instead.
/// </summary>
public sealed record RankedItems(int[] Items, float[] Scores, IReadOnlyList<string>? FeatureNames = null, float[]? Features = null)
{
    public bool FromFallback { get; init; }
}
