namespace RecKit.Cluster;

/// <summary>
/// The cluster's bundle rollout (one grain, key "bundles"): silos say which version they hold loaded and verified, and
/// learn whether the cluster switches to it: when every active silo holds it, or when the bound has passed since the
/// first said so (a silo that cannot load it keeps serving the old one and says so in its own /metrics).
/// </summary>
[Alias("RecKit.Cluster.IRolloutGrain")]
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>Records that <paramref name="silo"/> holds <paramref name="version"/> ready; answers whether to switch now.</summary>
    [Alias("Ready")]
    Task<bool> ReadyAsync(string version, string silo, TimeSpan bound);
}
