namespace RecKit.Serving;

/// <summary>One recommended item: id, display name, score, labels, and (explain) the stack's feature values.</summary>
public sealed record RecommendedItem(string Item, string? Title, float Score, IReadOnlyList<string> Labels, IReadOnlyDictionary<string, float>? Features = null);

/// <summary>
/// An answer of the service: the items, the bundle version, the variant that actually ranked them (after any
/// fallback), the experiment arm, whether the user was cold (unknown to the bundle and nothing ingested), and why that
/// ranker answered.
/// </summary>
public sealed record RecommendationAnswer(string User, IReadOnlyList<RecommendedItem> Items, string Bundle, string Variant, string? Arm, bool Cold, string? Reason = null);
