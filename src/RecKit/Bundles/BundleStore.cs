using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using RecKit.Data;
using RecKit.Persistence;
using RecKit.Ranking;

using RecKit.Models;

using RecKit.IO;

namespace RecKit.Bundles;

/// <summary>
/// A folder of bundles: bundles/v0001/, v0002/, ... and a file "current" naming the one to serve. A bundle is written
/// into a hidden staging folder, checksummed, then renamed into place; "current" is replaced atomically after that, so
/// a reader sees either the old bundle or the complete new one, never a partial one.
/// </summary>
public sealed class BundleStore(string root)
{
    public const string CurrentFile = "current";

    /// <summary>The main job's settings inside a bundle (what reckit retrain runs again).</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The bundle's feature schemas (<see cref="BundleFeatures"/>), when its catalogue has features.</summary>
    public const string FeaturesFile = "features.json";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The version "current" names, or null when there is none yet.</summary>
    public string? CurrentVersion()
    {
        var path = Path.Combine(Root, CurrentFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var version = File.ReadAllText(path).Trim();
        return version.Length == 0 ? null : version;
    }

    public string PathOf(string version) => Path.Combine(Root, version);

    /// <summary>Complete bundle versions present, oldest first.</summary>
    public IReadOnlyList<string> Versions() =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root, "v*").Select(d => Path.GetFileName(d)).Where(IsVersion).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Points "current" at a version (atomically).</summary>
    public void MakeCurrent(string version)
    {
        if (!File.Exists(Path.Combine(PathOf(version), "manifest.json")))
        {
            throw new BundleException($"{PathOf(version)}: no manifest.json; not a complete bundle.");
        }

        AtomicFile.WriteAllText(Path.Combine(Root, CurrentFile), version + "\n");
    }

    /// <summary>Writes the next version and makes it current; returns its version.</summary>
    /// <param name="addFiles">Writes more files into the bundle's folder before their checksums are taken (the serving layer's item indexes); null: none.</param>
    public string Write(BundleContent content, Action<BundleContent, string>? addFiles = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        Directory.CreateDirectory(Root);
        var version = NextVersion();
        var staging = Path.Combine(Root, $".staging-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var manifest = WriteFiles(staging, version, content, addFiles);
            AtomicFile.WriteAllText(Path.Combine(staging, "manifest.json"), JsonSerializer.Serialize(manifest, BundleManifest.Json));
            Directory.Move(staging, PathOf(version));
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }

        MakeCurrent(version);
        return version;
    }

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static bool IsVersion(string name) => name.Length > 1 && name[0] == 'v' && !name.AsSpan(1).ContainsAnyExceptInRange('0', '9');

    private string NextVersion()
    {
        var last = Versions().Select(v => int.Parse(v.AsSpan(1), CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        return $"v{last + 1:D4}";
    }

    private static BundleManifest WriteFiles(string folder, string version, BundleContent content, Action<BundleContent, string>? addFiles)
    {
        var data = content.Data;
        if (!content.Models.Any(m => m.Name == "popularity"))
        {
            throw new BundleException("A bundle needs the popularity model (its file carries the interactions).");
        }

        var models = new List<BundleModel>();
        foreach (var (name, model, options) in content.Models)
        {
            if (model is not IPersistableModel persistable)
            {
                throw new BundleException($"Model '{name}' ({model.GetType().Name}) cannot be saved, so it cannot be served.");
            }

            var file = $"models/{name}.model";
            var metadata = new Dictionary<string, string> { ["model"] = name };
            if (options is not null)
            {
                metadata["settings"] = options.ToJsonString();
            }

            ModelFile.Save(Path.Combine(folder, file), persistable, data.UserMap, data.ItemMap, metadata, name == "popularity" ? data.ByUser : null);
            models.Add(new BundleModel(name, file, options));
        }

        var metaModels = new List<BundleMetaModel>();
        foreach (var meta in content.MetaModels)
        {
            var (kind, file) = MetaModelFile.Save(folder, meta, content.StackFeatures);
            metaModels.Add(new BundleMetaModel(meta.Name, kind, file));
        }

        if (TimeStatistics.In(content.StackFeatures))
        {
            if (!data.HasTimestamps)
            {
                throw new BundleException("The stack's features end with the time columns, but the interactions have no timestamps to anchor them.");
            }

            TimeStatistics.Of(data).Save(Path.Combine(folder, TimeStatistics.FileName));
        }

        var labels = content.Labels;
        var items = Enumerable.Range(0, data.ItemCount).Select(i => new BundleItem(
            data.ItemMap[i],
            content.Titles is { } t && i < t.Count ? t[i] : null,
            labels is null || i >= labels.Count ? [] : labels[i])).ToList();
        AtomicFile.Write(Path.Combine(folder, "items.json"), s => JsonSerializer.Serialize(s, items, BundleManifest.Json));
        if (content.ItemSchema is not null || content.UserSchema is not null)
        {
            AtomicFile.Write(Path.Combine(folder, FeaturesFile), s => JsonSerializer.Serialize(s, new BundleFeatures(content.ItemSchema, content.UserSchema), BundleManifest.Json));
        }

        if (content.Config is { } config)
        {
            AtomicFile.WriteAllText(Path.Combine(folder, ConfigFile), config);
        }

        addFiles?.Invoke(content, folder);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => f != "manifest.json")
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => f, f => Sha256(Path.Combine(folder, f)));
        return new BundleManifest
        {
            Version = version,
            CreatedUtc = DateTimeOffset.UtcNow,
            RecKitVersion = typeof(BundleStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            DataFingerprint = DataFingerprint.Of(data),
            IngestedThrough = content.IngestedThrough,
            ErasuresThrough = content.ErasuresThrough,
            Values = content.Values,
            RelevanceThreshold = content.RelevanceThreshold,
            Models = models,
            MetaModels = metaModels,
            StackFeatures = content.StackFeatures,
            Candidates = content.Candidates.Select(c => new BundleCandidateSource(c.Source, c.Size)).ToList(),
            Variants = content.Variants,
            DefaultVariant = content.DefaultVariant,
            OfflineMetrics = content.OfflineMetrics,
            Files = files,
        };
    }
}
