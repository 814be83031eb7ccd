using RecKit.Pipeline;
using RecKit.Ranking;

namespace RecKit.Serving;

/// <summary>The main job's view of a bundle loaded for serving: <see cref="ServingBundle.Load"/> and its rankers.</summary>
public sealed class ServedBundleLoader : IServedBundleLoader
{
    public IServedBundle Load(string folder) => new Served(ServingBundle.Load(folder));

    private sealed class Served(ServingBundle bundle) : IServedBundle
    {
        public IReadOnlyCollection<string> Variants => bundle.Variants;

        public string DefaultVariant => bundle.Manifest.DefaultVariant;

        public UserRecommendations[] RecommendAll(string variant, int n, CancellationToken cancellation) =>
            BundleRecommendations.ForAllUsers(bundle, variant, n, cancellation);
    }
}
