using RecKit.Pipeline;
using RecKit.Ranking;

namespace RecKit.Serving;

/// <summary>The main job's view of a bundle loaded for serving: <see cref="ServingBundle.Load"/> and its rankers, and the item indexes it writes into a new bundle.</summary>
/// <param name="approximateFrom">Factor models with at least this many items get a retrieval index (<see cref="BundleIndexes"/>).</param>
/// <param name="maxShareRead">The norm-ordered scan is chosen over a graph when it reads at most this share of the catalogue (0: always a graph).</param>
public sealed class ServedBundleLoader(int approximateFrom = BundleIndexes.DefaultApproximateFrom, double maxShareRead = BundleIndexes.MaxShareRead) : IServedBundleLoader
{
    public IServedBundle Load(string folder) => new Served(ServingBundle.Load(folder));

    public void AddServingFiles(RecKit.Bundles.BundleContent content, string folder, IProgress<RecKit.Models.TrainingProgress>? progress = null) =>
        BundleIndexes.Write(content, folder, approximateFrom, progress: progress, maxShareRead: maxShareRead);

    private sealed class Served(ServingBundle bundle) : IServedBundle
    {
        public IReadOnlyCollection<string> Variants => bundle.Variants;

        public string DefaultVariant => bundle.Manifest.DefaultVariant;

        public UserRecommendations[] RecommendAll(string variant, int n, IProgress<RecKit.Models.TrainingProgress>? progress, CancellationToken cancellation) =>
            BundleRecommendations.ForAllUsers(bundle, variant, n, progress, cancellation);
    }
}
