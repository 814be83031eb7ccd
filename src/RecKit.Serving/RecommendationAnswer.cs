namespace RecKit.Serving;

/// <summary>
/// One recommended item: id, display name, score, labels, and with explain the stack's feature values (stack variants)
/// and <see cref="Because"/>: the user's own items most like this one, for any variant.
/// </summary>
public sealed record RecommendedItem(string Item, string? Title, float Score, IReadOnlyList<string> Labels, IReadOnlyDictionary<string, float>? Features = null)
{
    /// <summary>With explain: up to three items of the user's history most similar to this one by the bundle's similarity model (item-kNN neighbours, or factor cosine), most similar first.</summary>
    public IReadOnlyList<string>? Because { get; init; }
}

/// <summary>
/// An answer of the service: the items, the bundle version, the variant that actually ranked them (after any
/// fallback), the experiment arm, whether the user was cold (unknown to the bundle and nothing ingested), and why that
/// ranker answered.
/// </summary>
public sealed record RecommendationAnswer(string User, IReadOnlyList<RecommendedItem> Items, string Bundle, string Variant, string? Arm, bool Cold, string? Reason = null);
