namespace RecKit.Serving;

/// <summary>
/// An item as the service knows it now: its title, state (visible, hidden, deleted), the serving bundle, whether that
/// bundle holds it, its labels, the variants that may recommend it now, the features the bundle's models have no
/// column for yet (values its training data never held), and a note saying when changes take effect.
/// </summary>
public sealed record CatalogueItemAnswer(string Item, string? Title, string State, string Bundle, bool InBundle, IReadOnlyList<string> Labels, IReadOnlyList<string> RecommendableBy, IReadOnlyList<string> UnknownFeatures, string Note);

/// <summary>A user's features as stored, the features the bundle's models have no column for yet, and when they take effect.</summary>
public sealed record UserFeaturesAnswer(string User, IReadOnlyDictionary<string, string?> Features, IReadOnlyList<string> UnknownFeatures, string Note);
