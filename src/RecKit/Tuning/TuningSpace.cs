using System.Text.Json.Nodes;

namespace RecKit.Tuning;

/// <summary>
/// What is searched for one model: the options drawn for each trial, laid over the model's base settings (those not
/// searched keep the configured value). <see cref="For"/> gives the searched options of each model that has them.
/// </summary>
public sealed record TuningSpace(string Model, IReadOnlyList<TuningParameter> Parameters)
{
    /// <summary>The base settings with every searched option drawn anew.</summary>
    public JsonObject Sample(JsonObject? baseSettings, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var options = baseSettings?.DeepClone().AsObject() ?? [];
        foreach (var parameter in Parameters)
        {
            options[parameter.Name] = parameter.Sample(random);
        }

        return options;
    }

    /// <summary>The models that have a tuning space.</summary>
    public static IReadOnlyList<string> Tunable { get; } = ["als", "bpr", "itemknn", "ease"];

    /// <summary>The searched options of a model (ranges wide enough for catalogues of a few thousand to millions of items), or null when it has none.</summary>
    public static TuningSpace? For(string model) => model switch
    {
        "als" => new(model, [new("factors", 16, 192, Log: true, Whole: true), new("regularization", 0.1, 10000, Log: true), new("alpha", 0.3, 100, Log: true)]),
        "bpr" => new(model, [new("factors", 16, 192, Log: true, Whole: true), new("learningRate", 0.002, 0.2, Log: true), new("l2", 1e-5, 0.1, Log: true)]),
        "itemknn" => new(model, [new("neighbours", 10, 500, Log: true, Whole: true), new("shrink", 0, 200)]),
        "ease" => new(model, [new("regularization", 1, 5000, Log: true)]),
        _ => null,
    };
}
