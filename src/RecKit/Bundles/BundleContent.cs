using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Bundles;

/// <summary>
/// Everything a new bundle holds, fitted and in memory: base models trained on all the data, the stack's meta models,
/// the candidate sources, the variants on offer and the offline figures. <see cref="BundleStore.Write"/> persists it.
/// </summary>
public sealed record BundleContent
{
    /// <summary>All the interactions the models were trained on (kept in the bundle for seen items and statistics).</summary>
    public required Interactions Data { get; init; }

    public required Data.ValueMeaning Values { get; init; }

    public float? RelevanceThreshold { get; init; }

    /// <summary>Base models by name, with their options. Must include "popularity".</summary>
    public required IReadOnlyList<(string Name, IRecommender Model, JsonObject? Options)> Models { get; init; }

    public IReadOnlyList<IMetaModel> MetaModels { get; init; } = [];

    public IReadOnlyList<string> StackFeatures { get; init; } = [];

    public IReadOnlyList<(string Source, int Size)> Candidates { get; init; } = [];

    public required IReadOnlyList<BundleVariant> Variants { get; init; }

    public required string DefaultVariant { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> OfflineMetrics { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>Display names by item index (null: none).</summary>
    public IReadOnlyList<string?>? Titles { get; init; }

    /// <summary>The main job's settings as JSON (data paths absolute), kept as config.json so that reckit retrain can run it again; null: none.</summary>
    public string? Config { get; init; }

    /// <summary>The highest interaction-store row id the training data included (0: none).</summary>
    public long IngestedThrough { get; init; }

    /// <summary>The service's erasures the data took in (see <see cref="BundleManifest.ErasuresThrough"/>).</summary>
    public long ErasuresThrough { get; init; }

    /// <summary>Each item's labels (genres, artist...: <see cref="FeatureMatrix.LabelsPerRow"/>), by item index; null: none.</summary>
    public IReadOnlyList<IReadOnlyList<string>>? Labels { get; init; }

    /// <summary>How raw item features become the models' item feature columns (null: none), for items added while serving.</summary>
    public FeatureSchema? ItemSchema { get; init; }

    /// <summary>How raw user features become the models' user feature columns (null: none).</summary>
    public FeatureSchema? UserSchema { get; init; }
}
