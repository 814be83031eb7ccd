using System.Text.Json;
using RecKit.Data;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Ranking;

using RecKit.Bundles;

namespace RecKit.Serving;

/// <summary>
/// A bundle loaded for serving: id maps, item catalogue, the interactions it was trained on, and one ranker per
/// variant. <see cref="Load"/> checks every file against the manifest's SHA-256 before reading it and runs a smoke
/// query per variant; any failure is a <see cref="BundleException"/> naming the file, and nothing half-loaded escapes.
/// Immutable once loaded and safe to use from many requests at once.
/// </summary>
public sealed class ServingBundle
{
    private readonly Dictionary<string, IRanker> _rankers;
    private readonly Dictionary<string, int> _labelIndex;
    private readonly int[][] _itemLabels;

    private ServingBundle(string folder, BundleManifest manifest, IdMap users, IdMap items, CsrMatrix history, IReadOnlyList<BundleItem> catalogue, Dictionary<string, IRanker> rankers, IRanker popular, (string Name, ISimilarItems Model)? similar)
    {
        Folder = folder;
        Manifest = manifest;
        Users = users;
        Items = items;
        History = history;
        Catalogue = catalogue;
        _rankers = rankers;
        Popular = popular;
        Similar = similar;
        // Each label answers to its full name ("genre=Rock") and to its value ("Rock").
        _labelIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        _itemLabels = catalogue.Select(i => i.Labels.SelectMany(Names).Select(Index).Distinct().Order().ToArray()).ToArray();
    }

    public string Folder { get; }

    /// <summary>Each label answers to its full name ("genre=Rock") and to its value ("Rock").</summary>
    internal static IEnumerable<string> Names(string label) =>
        label.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? [label, label[(at + 1)..]] : [label];

    private int Index(string name)
    {
        if (!_labelIndex.TryGetValue(name, out var at))
        {
            at = _labelIndex[name] = _labelIndex.Count;
        }

        return at;
    }

    public BundleManifest Manifest { get; }

    public string Version => Manifest.Version;

    public IdMap Users { get; }

    public IdMap Items { get; }

    /// <summary>Users × items interactions the bundle was trained on (with their values).</summary>
    public CsrMatrix History { get; }

    public IReadOnlyList<BundleItem> Catalogue { get; }

    /// <summary>How raw item features become the models' columns (features.json; null: the bundle has none): items added while serving are encoded with it.</summary>
    public FeatureSchema? ItemSchema { get; private set; }

    /// <summary>How raw user features become the models' columns (null: none).</summary>
    public FeatureSchema? UserSchema { get; private set; }

    /// <summary>The variants that rank items added since the bundle (a factor variant whose model scores features, a stack with such a candidate source).</summary>
    public IReadOnlyList<string> NewItemVariants { get; private set; } = [];

    /// <summary>The factor models that rank through an approximate index (the bundle's indexes/ files) rather than the exact scan.</summary>
    public IReadOnlyList<string> ApproximateIndexes { get; private set; } = [];

    /// <summary>The factor models that retrieve by the norm-ordered exact scan (<see cref="NormOrderedItemIndex"/>).</summary>
    public IReadOnlyList<string> NormOrderedIndexes { get; private set; } = [];

    /// <summary>Popularity over the bundle's interactions (the popular endpoint and the fallback for users with nothing).</summary>
    public IRanker Popular { get; }

    /// <summary>
    /// The model that answers "similar items" and its name: the one whose definition ranks its similar items best
    /// (item-kNN, then a factor model, then EASE), or null.
    /// </summary>
    public (string Name, ISimilarItems Model)? Similar { get; }

    public IReadOnlyCollection<string> Variants => _rankers.Keys;

    /// <summary>
    /// What ranks users the bundle has no state for (visitors, and users first seen after it was built): the best
    /// variant by offline NDCG among those that score from a live history (ALS, BPR, item-kNN, content). The stacks'
    /// rating features need a user the models were trained on, so they are kept for known users.
    /// </summary>
    public IRanker VisitorRanker { get; private set; } = null!;

    public IRanker Ranker(string variant) => _rankers[variant];

    public bool HasVariant(string variant) => _rankers.ContainsKey(variant);

    /// <summary>A filter accepting items that carry the label (case-insensitive), or null when no item carries it.</summary>
    public Func<int, bool>? LabelFilter(string label)
    {
        if (!_labelIndex.TryGetValue(label, out var at))
        {
            return null;
        }

        var labels = _itemLabels;
        return item => Array.BinarySearch(labels[item], at) >= 0;
    }

    /// <summary>Loads and verifies the bundle in <paramref name="folder"/>.</summary>
    public static ServingBundle Load(string folder)
    {
        var manifestPath = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new BundleException($"{manifestPath}: missing; {folder} is not a complete bundle.");
        }

        BundleManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BundleManifest>(File.ReadAllText(manifestPath), BundleManifest.Json)
                ?? throw new BundleException($"{manifestPath}: empty.");
        }
        catch (JsonException ex)
        {
            throw new BundleException($"{manifestPath}: not a valid manifest ({ex.Message}).", ex);
        }

        if (manifest.FormatVersion != BundleManifest.CurrentFormat)
        {
            throw new BundleException($"{manifestPath}: bundle format {manifest.FormatVersion}; this RecKit reads format {BundleManifest.CurrentFormat}.");
        }

        foreach (var (file, sha) in manifest.Files)
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                throw new BundleException($"{path}: listed in the manifest but missing.");
            }

            if (!string.Equals(BundleStore.Sha256(path), sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new BundleException($"{path}: its SHA-256 differs from the manifest's; the file is damaged or was replaced.");
            }
        }

        try
        {
            return Build(folder, manifest);
        }
        catch (Exception ex) when (ex is ModelFormatException or IOException or InvalidDataException or ArgumentException or KeyNotFoundException or InvalidOperationException or JsonException)
        {
            throw new BundleException($"{folder}: {ex.Message}", ex);
        }
    }

    private static ServingBundle Build(string folder, BundleManifest manifest)
    {
        Require(manifest.Files, "items.json", folder);
        var scorers = new Dictionary<string, LiveScorer>();
        SavedModel? popularityFile = null;
        foreach (var entry in manifest.Models)
        {
            Require(manifest.Files, entry.File, folder);
            var saved = ModelFile.Load(Path.Combine(folder, entry.File));
            scorers[entry.Name] = LiveScorer.Bind(entry.Name, saved.Model, entry.Options, factors => BundleIndexes.For(folder, manifest, entry.Name, factors));
            if (entry.Name == "popularity")
            {
                popularityFile = saved;
            }
        }

        if (popularityFile?.Seen is not { } history)
        {
            throw new BundleException($"{folder}: no popularity model holding the interactions.");
        }

        foreach (var (name, scorer) in scorers)
        {
            if (scorer.ItemCount != popularityFile.Items.Count)
            {
                throw new BundleException($"{folder}: model '{name}' has {scorer.ItemCount} items; the bundle has {popularityFile.Items.Count}.");
            }
        }

        var catalogue = JsonSerializer.Deserialize<List<BundleItem>>(File.ReadAllText(Path.Combine(folder, "items.json")), BundleManifest.Json) ?? [];
        if (catalogue.Count != popularityFile.Items.Count)
        {
            throw new BundleException($"{Path.Combine(folder, "items.json")}: {catalogue.Count} items; the models have {popularityFile.Items.Count}.");
        }

        var statistics = new PairStatistics(history, manifest.Values == ValueMeaning.Ratings);
        TimeStatistics? time = null; // the stacks' time columns: the anchors of the interactions the bundle was fitted on
        if (manifest.Variants.Any(v => v.Kind == "stack") && TimeStatistics.In(manifest.StackFeatures))
        {
            Require(manifest.Files, TimeStatistics.FileName, folder);
            time = TimeStatistics.Load(Path.Combine(folder, TimeStatistics.FileName), history.RowCount, history.ColumnCount);
        }

        var popular = new FactorRanker(scorers["popularity"]);
        var rankers = new Dictionary<string, IRanker>();
        foreach (var variant in manifest.Variants)
        {
            rankers[variant.Name] = variant.Kind switch
            {
                "factor" => new FactorRanker(scorers.TryGetValue(variant.Model, out var s) ? s : throw new BundleException($"{folder}: variant '{variant.Name}' serves model '{variant.Model}', which the bundle lacks."), popular),
                "stack" => Stack(folder, manifest, variant, scorers, statistics, time),
                _ => throw new BundleException($"{folder}: variant '{variant.Name}' has unknown kind '{variant.Kind}' (factor or stack)."),
            };
        }

        if (!rankers.ContainsKey(manifest.DefaultVariant))
        {
            throw new BundleException($"{folder}: the default variant '{manifest.DefaultVariant}' is not among the variants ({string.Join(", ", rankers.Keys)}).");
        }

        var similar = BundleIndexes.SimilarItemsSource(manifest.Models.Select(m => (m.Name, scorers[m.Name].Model))) is var (similarName, similarModel)
            ? (similarName, BundleIndexes.SimilarFor(folder, manifest, similarName, similarModel))
            : ((string, ISimilarItems)?)null;
        var bundle = new ServingBundle(folder, manifest, popularityFile.Users, popularityFile.Items, history, catalogue, rankers, popular, similar);
        if (manifest.Files.ContainsKey(BundleStore.FeaturesFile))
        {
            var features = JsonSerializer.Deserialize<BundleFeatures>(File.ReadAllText(Path.Combine(folder, BundleStore.FeaturesFile)), BundleManifest.Json)
                ?? throw new BundleException($"{Path.Combine(folder, BundleStore.FeaturesFile)}: empty.");
            (bundle.ItemSchema, bundle.UserSchema) = (features.Items, features.Users);
        }

        foreach (var (name, scorer) in scorers.Where(s => s.Value.ScoresNewItems))
        {
            if (bundle.ItemSchema is { } schema && schema.Columns.Count != scorer.NewItemFeatureCount)
            {
                throw new BundleException($"{folder}: model '{name}' takes {scorer.NewItemFeatureCount} item feature columns; features.json names {schema.Columns.Count}.");
            }
        }

        bundle.ApproximateIndexes = [.. scorers.Where(p => p.Value.Index is { IsExact: false }).Select(p => p.Key)];
        bundle.NormOrderedIndexes = [.. scorers.Where(p => p.Value.Index is NormOrderedItemIndex).Select(p => p.Key)];
        bundle.NewItemVariants = bundle.ItemSchema is null ? [] : [.. manifest.Variants.Where(v => v.Kind == "factor"
            ? scorers[v.Model].ScoresNewItems
            : manifest.Candidates.Any(c => scorers[c.Source].ScoresNewItems)).Select(v => v.Name)];
        bundle.VisitorRanker = rankers.Values.OfType<FactorRanker>().Where(r => r.FollowsHistory)
            .OrderByDescending(r => Ndcg(manifest, r.Name)).Cast<IRanker>().FirstOrDefault() ?? popular;
        bundle.Smoke();
        return bundle;
    }

    private static StackRanker Stack(string folder, BundleManifest manifest, BundleVariant variant, Dictionary<string, LiveScorer> scorers, PairStatistics statistics, TimeStatistics? time)
    {
        var entry = manifest.MetaModels.FirstOrDefault(m => m.Name == variant.Model) ?? throw new BundleException($"{folder}: variant '{variant.Name}' needs meta model '{variant.Model}', which the manifest lacks.");
        Require(manifest.Files, entry.File, folder);
        var meta = MetaModelFile.Load(Path.Combine(folder, entry.File), entry.Kind, manifest.StackFeatures);
        var features = manifest.StackFeatures.Where(f => f.StartsWith("score_", StringComparison.Ordinal))
            .Select(f => scorers.TryGetValue(f["score_".Length..], out var s) ? s : throw new BundleException($"{folder}: stack feature '{f}' needs a model the bundle lacks."))
            .ToList();
        var sources = manifest.Candidates
            .Select(c => (scorers.TryGetValue(c.Source, out var s) ? s : throw new BundleException($"{folder}: candidate source '{c.Source}' is not a model of the bundle."), c.Size))
            .ToList();
        return new StackRanker(meta, features, sources, statistics, manifest.StackFeatures, time);
    }

    private static double Ndcg(BundleManifest manifest, string model) =>
        manifest.OfflineMetrics.TryGetValue(model, out var metrics) && metrics.FirstOrDefault(m => m.Key.StartsWith("NDCG@", StringComparison.Ordinal)) is { Key: not null } ndcg ? ndcg.Value : double.NegativeInfinity;

    private static void Require(IReadOnlyDictionary<string, string> files, string file, string folder)
    {
        if (!files.ContainsKey(file))
        {
            throw new BundleException($"{Path.Combine(folder, file)}: not listed in the manifest with a checksum.");
        }
    }

    /// <summary>Every variant answers a known user and a visitor with finite scores, or the bundle is refused.</summary>
    private void Smoke()
    {
        var user = Enumerable.Range(0, Users.Count).FirstOrDefault(u => History.RowLength(u) > 0);
        var live = BundleRecommendations.Known(this, user);
        var visitor = LiveUser.Visitor(History.RowColumns(user).ToArray());
        foreach (var (name, ranker) in _rankers.Append(new KeyValuePair<string, IRanker>("popularity", Popular)))
        {
            foreach (var who in new[] { live, visitor })
            {
                var answer = ranker.Recommend(who, 10);
                if (answer.Items.Length == 0 || answer.Scores.Any(s => !float.IsFinite(s)))
                {
                    throw new BundleException($"{Folder}: the smoke query of variant '{name}' gave {(answer.Items.Length == 0 ? "no items" : "a score that is not a finite number")}.");
                }
            }
        }
    }
}
