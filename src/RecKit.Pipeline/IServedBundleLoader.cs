using RecKit.Bundles;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Pipeline;

/// <summary>
/// What the main job asks of the online layer once it has written a bundle: load it back exactly as the service will
/// (verified against its manifest, every variant smoke-tested), so that recommendations.json is what the service
/// answers. Implemented by the serving layer (RecKit.Serving's ServedBundleLoader) and handed in by the shell, so the
/// pipeline does not depend on the online layer.
/// </summary>
public interface IServedBundleLoader
{
    /// <summary>Loads and verifies the bundle in <paramref name="folder"/>; a bad bundle is an exception naming its file.</summary>
    IServedBundle Load(string folder);

    /// <summary>
    /// Writes what the service needs beside the models into a bundle being written (before its checksums are taken):
    /// the approximate item index of each factor model whose catalogue is large enough to need one. Long work (an
    /// index of a million items takes minutes) reports to <paramref name="progress"/>.
    /// </summary>
    void AddServingFiles(BundleContent content, string folder, IProgress<TrainingProgress>? progress = null);
}

/// <summary>A bundle as the service holds it.</summary>
public interface IServedBundle
{
    IReadOnlyCollection<string> Variants { get; }

    /// <summary>The production ranker: the variant served when no experiment assigns another.</summary>
    string DefaultVariant { get; }

    /// <summary>Top-<paramref name="n"/> for every user of the bundle from <paramref name="variant"/>, as the service would answer them.</summary>
    UserRecommendations[] RecommendAll(string variant, int n, IProgress<TrainingProgress>? progress, CancellationToken cancellation);
}
