namespace RecKit.Serving;

/// <summary>
/// Interaction types and their weights (for example view 1, like 3, purchase 5). A type with a negative weight means
/// "never recommend this item to this user again" (dislike, hide). An interaction's weight in the user's live history
/// is its type's weight times its value (value 1 when not given).
/// </summary>
public sealed record FeedbackTypes
{
    /// <summary>The default types: interaction 1, view 1, click 1, like 3, purchase 5, dislike −1, hide −1.</summary>
    public static FeedbackTypes Default { get; } = new()
    {
        Weights = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["interaction"] = 1, ["view"] = 1, ["click"] = 1, ["like"] = 3, ["purchase"] = 5, ["dislike"] = -1, ["hide"] = -1,
        },
    };

    public IReadOnlyDictionary<string, double> Weights { get; init; } = new Dictionary<string, double>();

    /// <summary>The type used when a request names none.</summary>
    public string DefaultType { get; init; } = "interaction";

    public bool IsKnown(string type) => Weights.ContainsKey(type);

    public bool IsNegative(string type) => Weights.TryGetValue(type, out var w) && w < 0;

    public void Validate()
    {
        if (Weights.Count == 0)
        {
            throw new ArgumentException("feedback types: at least one type is needed.");
        }

        foreach (var (type, weight) in Weights)
        {
            if (string.IsNullOrWhiteSpace(type) || !double.IsFinite(weight) || weight == 0)
            {
                throw new ArgumentException($"feedback type '{type}': the weight must be a finite number other than 0 (negative: never recommend again); it is {weight}.");
            }
        }

        if (!Weights.ContainsKey(DefaultType))
        {
            throw new ArgumentException($"feedback types: the default type '{DefaultType}' is not among them ({string.Join(", ", Weights.Keys)}).");
        }
    }
}
