using RecKit.Bundles;
using RecKit.Models;

namespace RecKit.Serving;

/// <summary>
/// The approximate item indexes a bundle carries: written at bundle time for every factor model with at least
/// <see cref="DefaultApproximateFrom"/> items (below it the exact scan is as fast: at 100,000 items × 64 factors the
/// HNSW index answered 1.7× faster than the scan, recall@10 0.977, `bench item-index`), as indexes/MODEL.SHARD.usearch,
/// checksummed with the bundle's other files; opened memory-mapped when the bundle loads.
/// </summary>
public static class BundleIndexes
{
    public const int DefaultApproximateFrom = 100_000;

    private const string Folder = "indexes";

    /// <summary>Builds and saves the indexes of <paramref name="content"/>'s factor models with at least <paramref name="approximateFrom"/> items.</summary>
    public static void Write(BundleContent content, string bundleFolder, int approximateFrom = DefaultApproximateFrom, HnswOptions? options = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        foreach (var (name, model, _) in content.Models)
        {
            if (model is IFactorModel factors && factors.ItemCount >= approximateFrom)
            {
                var (vectors, bias) = factors.PackedItems.Unpack();
                using var index = HnswItemIndex.Build(vectors, bias, factors.ItemCount, factors.Factors, options, progress, $"{name}: items indexed");
                Directory.CreateDirectory(Path.Combine(bundleFolder, Folder));
                index.Save(Path.Combine(bundleFolder, Folder, name));
            }
        }
    }

    /// <summary>The index a bundle's factor model ranks through: its saved approximate index when the bundle has one, else the exact scan.</summary>
    public static IItemIndex For(string bundleFolder, BundleManifest manifest, string model, IFactorModel factors)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(factors);
        var prefix = $"{Folder}/{model}.";
        var shards = manifest.Files.Keys
            .Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && f.EndsWith(".usearch", StringComparison.Ordinal))
            .OrderBy(f => int.TryParse(f.AsSpan(prefix.Length, f.Length - prefix.Length - ".usearch".Length), out var s) ? s : int.MaxValue)
            .Select(f => Path.Combine(bundleFolder, f))
            .ToList();
        return shards.Count == 0 ? new ExactItemIndex(factors.PackedItems) : HnswItemIndex.Open(shards, factors.ItemCount, factors.Factors);
    }
}
