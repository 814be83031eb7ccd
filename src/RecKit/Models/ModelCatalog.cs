using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RecKit.Data;
using RecKit.Training;

namespace RecKit.Models;

/// <summary>
/// The models RecKit can train by name (as a person types it on the command line or in a config file), each with its
/// typed options record.
/// Options come from a JSON object (a config file section, then command-line flags on top); unknown keys are
/// rejected so a misspelt setting is an error, not a silent default.
/// </summary>
public static class ModelCatalog
{
    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.OrdinalIgnoreCase);

    static ModelCatalog()
    {
        Register<PopularityOptions, PopularityModel>("popularity", o => new PopularityTrainer(o));
        Register<BiasOptions, BiasModel>("bias", o => new BiasTrainer(o));
        Register<MatrixFactorizationOptions, LatentFactorModel>("mf", o => new MatrixFactorizationTrainer(o));
        Register("svd++", o => new MatrixFactorizationTrainer(o), () => MatrixFactorizationOptions.SvdPlusPlus);
        Register<BprOptions, LatentFactorModel>("bpr", o => new BprTrainer(o));
        Register<AlsOptions, LatentFactorModel>("als", o => new AlsTrainer(o));
        Iterative = new HashSet<string>(["mf", "svd++", "bpr", "als"], StringComparer.OrdinalIgnoreCase);
        Register<ItemKnnOptions, ItemKnnModel>("itemknn", o => new ItemKnnTrainer(o));
        Register<EaseOptions, EaseModel>("ease", o => new EaseTrainer(o));
    }

    public static JsonSerializerOptions StrictJson { get; } = new()
    {
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static IReadOnlyCollection<string> Names => Entries.Keys;

    /// <summary>Models trained in epochs (or iterations) that report each one: they can be validated, checkpointed and resumed.</summary>
    public static IReadOnlySet<string> Iterative { get; }

    /// <summary>The option that counts a model's passes over the data: "iterations" for ALS, "epochs" otherwise.</summary>
    public static string EpochOption(string name) =>
        !OptionNames(name).Contains("epochs") && OptionNames(name).Contains("iterations") ? "iterations" : "epochs";

    public static IRecommender Fit(string name, Interactions train, TrainingContext context, JsonObject? settings = null) =>
        Get(name).Fit(settings, train, context);

    /// <summary>The number of epochs (iterations for ALS) the options ask for, or null for a model trained in one pass.</summary>
    public static int? EpochCount(string name, JsonObject? settings) => Get(name).Epochs(settings);

    /// <summary>Reads and range-checks a model's options without training it (settings are checked before work starts).</summary>
    public static void CheckOptions(string name, JsonObject? settings) => Get(name).Check(settings);

    /// <summary>The option names a model accepts (camelCase, as in the config file).</summary>
    public static IReadOnlyList<string> OptionNames(string name) => Get(name).OptionNames;

    public static void Require(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            Get(name);
        }
    }

    private static Entry Get(string name) =>
        Entries.TryGetValue(name, out var entry)
            ? entry
            : throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Entries.Keys)}; {FeatureModelsNote}");

    /// <summary>The models that need feature files are not in this catalogue; every list of known models says where they are.</summary>
    public const string FeatureModelsNote = "the feature models genre, tags and two-tower are trained by the main job (reckit run), which reads the item and user features.";

    private static void Register<TOptions, TModel>(string name, Func<TOptions, ITrainer<TModel>> trainer)
        where TOptions : class, new()
        where TModel : IRecommender => Register(name, trainer, () => new TOptions());

    /// <summary>Registers a model whose options start from <paramref name="defaults"/>; config keys override them.</summary>
    private static void Register<TOptions, TModel>(string name, Func<TOptions, ITrainer<TModel>> trainer, Func<TOptions> defaults)
        where TOptions : class
        where TModel : IRecommender
    {
        var optionNames = typeof(TOptions).GetProperties()
            .Where(p => p.CanWrite)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .ToArray();
        Entries[name] = new Entry(
            optionNames,
            (settings, train, context) => trainer(ReadOptions(name, settings, defaults, optionNames)).Fit(train, context),
            settings => trainer(ReadOptions(name, settings, defaults, optionNames)),
            settings => typeof(TOptions).GetProperty("Epochs")?.GetValue(ReadOptions(name, settings, defaults, optionNames)) as int?
                ?? typeof(TOptions).GetProperty("Iterations")?.GetValue(ReadOptions(name, settings, defaults, optionNames)) as int?);
    }

    /// <summary>
    /// Factors for a user who was not in training, from the items they interacted with, for the models that can fold
    /// one in without retraining: ALS (exact solve, with the options it was trained with) and BPR.
    /// </summary>
    /// <param name="settings">The options the model was trained with (as saved in its model file), or null for the defaults.</param>
    public static float[] FoldIn(string name, LatentFactorModel model, JsonObject? settings, ReadOnlySpan<int> items)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entry = Get(name);
        return name.ToLowerInvariant() switch
        {
            "als" => new AlsFoldIn(model, ReadOptions(name, settings, () => new AlsOptions(), entry.OptionNames)).Solve(items),
            "bpr" => BprTrainer.FoldIn(model, items),
            _ => throw new ArgumentException($"Model '{name}' cannot fold in a new user's history; ALS and BPR can."),
        };
    }

    /// <summary>A catalogue model's options: its defaults with the given settings on top, read strictly.</summary>
    public static TOptions ReadOptionsFor<TOptions>(string name, JsonObject? settings)
        where TOptions : class, new() => ReadOptions(name, settings, () => new TOptions(), Get(name).OptionNames);

    /// <summary>The defaults as JSON, the given keys on top, read back strictly.</summary>
    private static TOptions ReadOptions<TOptions>(string name, JsonObject? settings, Func<TOptions> defaults, IReadOnlyList<string> optionNames)
        where TOptions : class
    {
        try
        {
            var options = defaults();
            if (settings is not { Count: > 0 })
            {
                return options;
            }

            var merged = (JsonObject)JsonSerializer.SerializeToNode(options, StrictJson)!;
            foreach (var (key, value) in settings)
            {
                var existing = merged.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Key;
                merged[existing ?? key] = value?.DeepClone();
            }

            return merged.Deserialize<TOptions>(StrictJson)!;
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Options of model '{name}': {ConfigErrors.Explain(ex, typeof(TOptions), [])}", ex);
        }
    }

    private sealed record Entry(IReadOnlyList<string> OptionNames, Func<JsonObject?, Interactions, TrainingContext, IRecommender> Fit, Action<JsonObject?> Check, Func<JsonObject?, int?> Epochs);
}
