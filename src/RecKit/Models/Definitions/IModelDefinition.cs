using System.Text.Json.Nodes;
using RecKit.Persistence;

namespace RecKit.Models;

/// <summary>
/// Everything RecKit knows about one model, in one place: its name, typed options (read strictly from JSON, validated,
/// written back), what it needs besides interactions, how it is fitted, how its files are read, and what it can do
/// live once loaded (score a live history). The main job, the command line, bundle loading and serving all read
/// this; none of them switch on a model's name or type. <see cref="ModelDefinitions"/> lists them.
/// </summary>
public interface IModelDefinition
{
    /// <summary>The name used in configs, reports and bundles ("als", "itemknn", "two-tower").</summary>
    string Name { get; }

    /// <summary>One line for listings and errors.</summary>
    string Summary { get; }

    /// <summary>The options record (AlsOptions, ...).</summary>
    Type OptionsType { get; }

    /// <summary>The option names the model accepts (camelCase, as in a config file).</summary>
    IReadOnlyList<string> OptionNames { get; }

    ModelNeeds Needs { get; }

    /// <summary>The option that counts passes over the data ("epochs", "iterations"), or null for a model fitted in one pass.</summary>
    string? EpochOption { get; }

    /// <summary>Whether the main job fits it with early stopping on a validation share of its training data.</summary>
    bool EarlyStopping { get; }

    /// <summary>
    /// How good the model's "similar items" are, when its fitted model answers them (lower is preferred: item-kNN's
    /// neighbour lists 0, factor models' item vectors 1, EASE's weights 2); null when it does not.
    /// </summary>
    int? SimilarItemsPreference { get; }

    /// <summary>The model-file kinds this model writes, with their readers.</summary>
    IReadOnlyList<ModelFileKind> FileKinds { get; }

    /// <summary>The defaults with <paramref name="settings"/> on top, read strictly (unknown keys are errors) and validated.</summary>
    object ReadOptions(JsonObject? settings);

    /// <summary>The options as a JSON object (every key), as a config file or a bundle manifest holds them.</summary>
    JsonObject WriteOptions(object options);

    /// <summary>Passes over the data the options ask for, or null for a model fitted in one pass.</summary>
    int? Epochs(object options);

    /// <summary>Fits the model; <paramref name="options"/> is this definition's options record.</summary>
    IRecommender Fit(object options, ModelInputs inputs);

    /// <summary>Why these options cannot fit a catalogue of <paramref name="itemCount"/> items (checked before any work), or null.</summary>
    string? CatalogueRefusal(object options, int itemCount);

    /// <summary>Whether a fitted model of this kind can score a history it was not fitted on (it has a live history scorer).</summary>
    bool ScoresHistories { get; }

    /// <summary>The model's live history scorer, bound with the options it was trained with, or null when it has none.</summary>
    IHistoryScorer? BindHistoryScorer(IRecommender model, object options);

    /// <summary>The model's scorer of items added after training (from their features), bound with its options, or null when it has none.</summary>
    INewItemScorer? BindNewItemScorer(IRecommender model, object options);
}

/// <summary>A model-file kind ("als" models are written as kind "factors") and how to read its payload.</summary>
public sealed record ModelFileKind(string Kind, Func<ModelReader, int, IRecommender> Read);
