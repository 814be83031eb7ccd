using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecKit.Models;

/// <summary>
/// The typed half of a <see cref="IModelDefinition"/>: a model with options record <typeparamref name="TOptions"/>.
/// Options are read by serialising the defaults and laying the given keys over them, so a model whose defaults differ
/// from its record's (SVD++ over MF's options) keeps them.
/// </summary>
public abstract class ModelDefinition<TOptions> : IModelDefinition
    where TOptions : class
{
    private string[]? _optionNames;

    public abstract string Name { get; }

    public abstract string Summary { get; }

    public Type OptionsType => typeof(TOptions);

    public IReadOnlyList<string> OptionNames => _optionNames ??= typeof(TOptions).GetProperties()
        .Where(p => p.CanWrite)
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
        .ToArray();

    public virtual ModelNeeds Needs => ModelNeeds.Interactions;

    public virtual string? EpochOption => null;

    public virtual bool EarlyStopping => false;

    public virtual int? SimilarItemsPreference => null;

    public abstract IReadOnlyList<ModelFileKind> FileKinds { get; }

    /// <summary>The options a model starts from before any setting.</summary>
    public abstract TOptions Defaults();

    /// <summary>Range checks (an <see cref="ArgumentException"/> naming the option); run on every read.</summary>
    protected abstract void Validate(TOptions options);

    public abstract IRecommender Fit(TOptions options, ModelInputs inputs);

    /// <summary>The live history scorer, or null (the default: the model serves stored users only).</summary>
    public virtual IHistoryScorer? BindHistoryScorer(IRecommender model, TOptions options) => null;

    /// <summary>The scorer of items added after training, from their features, or null (the default: the model cannot).</summary>
    public virtual INewItemScorer? BindNewItemScorer(IRecommender model, TOptions options) => null;

    public virtual int? Epochs(TOptions options) => null;

    /// <summary>Why these options cannot fit a catalogue this large, or null (the default: any size).</summary>
    public virtual string? CatalogueRefusal(TOptions options, int itemCount) => null;

    /// <summary>True when this definition overrides <see cref="BindHistoryScorer(IRecommender, TOptions)"/> (read once, so it cannot drift from it).</summary>
    public bool ScoresHistories => _scoresHistories ??= GetType().GetMethod(nameof(BindHistoryScorer), [typeof(IRecommender), typeof(TOptions)])!.DeclaringType != typeof(ModelDefinition<TOptions>);

    private bool? _scoresHistories;

    /// <summary>The typed options; an <see cref="ArgumentException"/> names the model and the bad key.</summary>
    public TOptions Read(JsonObject? settings)
    {
        TOptions options;
        try
        {
            options = Defaults();
            if (settings is { Count: > 0 })
            {
                var merged = (JsonObject)JsonSerializer.SerializeToNode(options, StrictJson.Options)!;
                foreach (var (key, value) in settings)
                {
                    var existing = merged.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Key;
                    merged[existing ?? key] = value?.DeepClone();
                }

                options = merged.Deserialize<TOptions>(StrictJson.Options)!;
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Options of model '{Name}': {ConfigErrors.Explain(ex, typeof(TOptions), [])}", ex);
        }

        Validate(options); // its messages name the option ("als option 'factors' ...")
        return options;
    }

    object IModelDefinition.ReadOptions(JsonObject? settings) => Read(settings);

    JsonObject IModelDefinition.WriteOptions(object options) => (JsonObject)JsonSerializer.SerializeToNode(Typed(options), StrictJson.Options)!;

    int? IModelDefinition.Epochs(object options) => Epochs(Typed(options));

    IRecommender IModelDefinition.Fit(object options, ModelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Fit(Typed(options), inputs);
    }

    string? IModelDefinition.CatalogueRefusal(object options, int itemCount) => CatalogueRefusal(Typed(options), itemCount);

    IHistoryScorer? IModelDefinition.BindHistoryScorer(IRecommender model, object options) => BindHistoryScorer(model, Typed(options));

    INewItemScorer? IModelDefinition.BindNewItemScorer(IRecommender model, object options) => BindNewItemScorer(model, Typed(options));

    private TOptions Typed(object options) => options as TOptions
        ?? throw new ArgumentException($"Model '{Name}' takes {typeof(TOptions).Name}, not {options?.GetType().Name ?? "null"}.", nameof(options));

    /// <summary>The item features a model needs, or an error saying where they come from.</summary>
    protected Data.CsrMatrix RequireItemFeatures(ModelInputs inputs) => inputs?.ItemFeatures
        ?? throw new ArgumentException($"Model '{Name}' needs item features; describe an item feature file in the data section (itemFeatures) or use a MovieLens directory with its movies file.");

    /// <summary>The tags a model needs, or an error saying where they come from.</summary>
    protected Data.CsrMatrix RequireTags(ModelInputs inputs) => inputs?.Tags
        ?? throw new ArgumentException($"Model '{Name}' needs tags; use a MovieLens directory with a tags.csv.");
}
