namespace RecKit.Serving;

/// <summary>Whose features a <see cref="FeatureRow"/> holds.</summary>
public enum FeatureOwner
{
    Item = 0,
    User = 1,
}

/// <summary>
/// An item added or updated, or a user's features set, through the service: its raw fields as a features file would
/// hold them (a multi-valued field's values joined by U+001F, as a JSON array is read), an item's title, and the
/// order rows were first stored in (<see cref="Sequence"/>: 1, 2, ...; an update keeps it).
/// </summary>
public sealed record FeatureRow(string Id, string? Title, IReadOnlyDictionary<string, string?> Fields, long Sequence);
