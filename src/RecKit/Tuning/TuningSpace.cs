using System.Text.Json.Nodes;
using RecKit.Models;

namespace RecKit.Tuning;

/// <summary>
/// What is searched for one model: the options drawn for each trial, laid over the model's base settings (those not
/// searched keep the configured value). <see cref="For(string)"/> gives the searched options of each model that has them.
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

    /// <summary>Every model's searched options (ranges wide enough for catalogues of a few thousand to millions of items).</summary>
    private static readonly TuningSpace[] Spaces =
    [
        new("als", [new("factors", 16, 192, Log: true, Whole: true), new("regularization", 0.1, 10000, Log: true), new("alpha", 0.3, 100, Log: true)]),
        new("bpr", [new("factors", 16, 192, Log: true, Whole: true), new("learningRate", 0.002, 0.2, Log: true), new("l2", 1e-5, 0.1, Log: true)]),
        new("itemknn", [new("neighbours", 10, 500, Log: true, Whole: true), new("shrink", 0, 200)]),
        new("ease", [new("regularization", 1, 5000, Log: true)]),
        new("two-tower", [new("factors", 16, 192, Log: true, Whole: true), new("regularization", 0.1, 10000, Log: true), new("alpha", 0.3, 100, Log: true), new("featureRegularization", 0.01, 100, Log: true)]),
    ];

    /// <summary>The SGD two-tower's options differ from the least-squares one's: its step, its penalty per step.</summary>
    private static readonly TuningSpace SgdTwoTower = new("two-tower", [new("factors", 16, 192, Log: true, Whole: true), new("learningRate", 0.002, 0.2, Log: true), new("regularization", 1e-6, 0.01, Log: true)]);

    /// <summary>The models that have a tuning space.</summary>
    public static IReadOnlyList<string> Tunable { get; } = [.. Spaces.Select(s => s.Model)];

    /// <summary>The searched options of a model, or null when it has none.</summary>
    public static TuningSpace? For(string model) => Array.Find(Spaces, s => s.Model == model);

    /// <summary>The searched options of a model with these (validated) options: the two-tower's depend on its solver.</summary>
    public static TuningSpace? For(string model, object options) => options is TwoTowerOptions { Solver: TwoTowerSolver.Sgd } ? SgdTwoTower : For(model);
}
