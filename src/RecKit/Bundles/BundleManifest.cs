using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RecKit.Bundles;

/// <summary>
/// manifest.json of a bundle (bundles/&lt;version&gt;/): what the bundle holds and how to serve it. Every other file of
/// the bundle is listed in <see cref="Files"/> with its SHA-256; a bundle whose files are missing or differ is refused.
/// </summary>
public sealed record BundleManifest
{
    public const int CurrentFormat = 1;

    public int FormatVersion { get; init; } = CurrentFormat;

    /// <summary>The bundle's version: its folder's name (v0001, v0002, ...).</summary>
    public required string Version { get; init; }

    public DateTimeOffset CreatedUtc { get; init; }

    public string RecKitVersion { get; init; } = "";

    /// <summary>Fingerprint of the interactions the bundle was trained on.</summary>
    public string DataFingerprint { get; init; } = "";

    /// <summary>
    /// The highest interaction-store row id this bundle was trained with (0: none; the main job's bundles). Interactions
    /// stored after it are the live part the service adds on top of the bundle.
    /// </summary>
    public long IngestedThrough { get; init; }

    /// <summary>The service's erasures this bundle took in (its store's erasure count when retraining read it; 0: none): users erased later are hidden from it.</summary>
    public long ErasuresThrough { get; init; }

    /// <summary>What the values mean (Ratings, Counts or None in the file).</summary>
    public Data.ValueMeaning Values { get; init; } = Data.ValueMeaning.Ratings;

    /// <summary>Relevance threshold of the offline evaluation (ratings), null when any interaction is relevant.</summary>
    public float? RelevanceThreshold { get; init; }

    /// <summary>Base models, each a model file; popularity is always present and its file holds the interactions.</summary>
    public required IReadOnlyList<BundleModel> Models { get; init; }

    /// <summary>Meta models of the stack (side files).</summary>
    public IReadOnlyList<BundleMetaModel> MetaModels { get; init; } = [];

    /// <summary>The stack's feature names, in order (base model scores, then statistics).</summary>
    public IReadOnlyList<string> StackFeatures { get; init; } = [];

    /// <summary>The stack's candidate sources (a base model name or "popularity") and sizes.</summary>
    public IReadOnlyList<BundleCandidateSource> Candidates { get; init; } = [];

    /// <summary>What can be served: a base model directly (kind "factor") or a stack (kind "stack", its meta model).</summary>
    public required IReadOnlyList<BundleVariant> Variants { get; init; }

    /// <summary>The variant served when no experiment assigns another: the offline report's winner.</summary>
    public required string DefaultVariant { get; init; }

    /// <summary>Offline metrics of every model and stack (name → metric → value), from the report.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> OfflineMetrics { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>Every file of the bundle but this one (relative path → SHA-256, lower-case hex).</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>A base model in a bundle: its name (als, itemknn, ...), file and the options it was trained with.</summary>
public sealed record BundleModel(string Name, string File, JsonObject? Options);

/// <summary>A meta model: its name (LogisticStack, GBStack, LambdaMARTStack, XeNdcgStack, BlendStack), kind (logistic, gbdt, lambdamart, xendcg, blend) and file.</summary>
public sealed record BundleMetaModel(string Name, string Kind, string File);

/// <summary>A candidate source of the stack.</summary>
public sealed record BundleCandidateSource(string Source, int Size);

/// <summary>A servable variant: Kind "factor" serves <see cref="Model"/>; "stack" serves the meta model named <see cref="Model"/>.</summary>
public sealed record BundleVariant(string Name, string Kind, string Model);
