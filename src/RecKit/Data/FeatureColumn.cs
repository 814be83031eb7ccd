namespace RecKit.Data;

/// <summary>How a feature column's values become model features.</summary>
public enum FeatureKind
{
    /// <summary>One value per row (country, gender): a one-hot feature "column=value".</summary>
    Categorical,

    /// <summary>Several values in one field split by a separator ("Action|Comedy"): a multi-hot feature per value.</summary>
    Multi,

    /// <summary>A number (age, price, tempo): standardised to mean 0, deviation 1; a missing value counts as the mean and sets "column:missing".</summary>
    Numeric,

    /// <summary>Free text (description, tags): lower-cased words weighted by TF-IDF.</summary>
    Text,
}

/// <summary>One declared column of a user or item features file.</summary>
public sealed record FeatureColumn
{
    /// <summary>The column's name in the file's header (or the key in JSON lines).</summary>
    public string Name { get; init; } = "";

    public FeatureKind Kind { get; init; } = FeatureKind.Categorical;

    /// <summary>Separator of a multi-valued field. Default "|".</summary>
    public string Separator { get; init; } = "|";

    /// <summary>Multiplies the column's features (a weight of 2 counts its features twice in a cosine). Default 1.</summary>
    public float Weight { get; init; } = 1f;

    internal void Validate(string owner)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException($"{owner}: a feature column needs a name.");
        }

        OptionCheck.Defined(owner, $"{Name}.kind", Kind);
        OptionCheck.Positive(owner, $"{Name}.weight", Weight);
        if (Kind == FeatureKind.Multi && string.IsNullOrEmpty(Separator))
        {
            throw new ArgumentException($"{owner} '{Name}.separator' must not be empty for a multi-valued column.");
        }
    }
}
