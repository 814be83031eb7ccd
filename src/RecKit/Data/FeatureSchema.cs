namespace RecKit.Data;

/// <summary>
/// What a bundle's models take as item (or user) features: the encoding of the raw fields and the feature columns in
/// the models' order. A row given later (an item added while the service runs) is encoded into those columns; a value
/// the training data never held (a new genre) has no column yet and is named back to the caller, to count from the
/// next retrain on.
/// </summary>
public sealed record FeatureSchema(FeatureEncoder Encoder, IReadOnlyList<string> Columns)
{
    private Dictionary<string, int>? _index;

    /// <summary>The schema of a catalogue's features, or null when there are none or their encoding is not known.</summary>
    public static FeatureSchema? Of(FeatureEncoder? encoder, FeatureMatrix? features) =>
        encoder is null || features is null ? null : new FeatureSchema(encoder, features.Columns);

    /// <summary>One row in the model columns, sorted by column, and the features that have no column.</summary>
    /// <exception cref="FormatException">A field cannot be encoded (not a number in a numeric column); the message names it.</exception>
    public (int[] Columns, float[] Values, List<string> Unknown) Encode(Func<string, string?> field)
    {
        var index = _index ??= Columns.Select((name, at) => (name, at)).ToDictionary(p => p.name, p => p.at, StringComparer.Ordinal);
        var row = new SortedDictionary<int, float>();
        var unknown = new List<string>();
        foreach (var (column, value) in Encoder.Encode(field))
        {
            if (index.TryGetValue(column, out var at))
            {
                row[at] = row.GetValueOrDefault(at) + value;
            }
            else
            {
                unknown.Add(column);
            }
        }

        return ([.. row.Keys], [.. row.Values], unknown);
    }
}
