using System.Globalization;
using System.Text.Json.Nodes;

namespace RecKit.Tuning;

/// <summary>
/// One searched option of a model: its JSON name and range, drawn uniformly or log-uniformly (for scales such as a
/// regularisation or a learning rate, where 1 to 10 matters as much as 10 to 100), as a whole number or not.
/// </summary>
public sealed record TuningParameter(string Name, double Min, double Max, bool Log = false, bool Whole = false)
{
    /// <summary>A value drawn from the range.</summary>
    public JsonNode Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u = random.NextDouble();
        var value = Log ? Math.Exp(Math.Log(Min) + (u * (Math.Log(Max) - Math.Log(Min)))) : Min + (u * (Max - Min));
        return Whole ? JsonValue.Create((int)Math.Round(value)) : JsonValue.Create(Math.Round(value, 4, MidpointRounding.AwayFromZero));
    }

    /// <summary>Refuses an empty or inverted range, or a log range that reaches 0.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Name);
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || Min > Max || (Log && Min <= 0))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"tuning range of '{Name}' must have min ≤ max{(Log ? " and min > 0 (it is searched on a log scale)" : "")}; it is {Min} to {Max}."));
        }
    }
}
