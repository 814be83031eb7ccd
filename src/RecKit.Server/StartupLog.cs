using RecKit.Serving;

namespace RecKit.Server;

/// <summary>The start-up lines an operator reads first: which bundle, store, config file and experiment are in force, and what was replayed.</summary>
internal static partial class StartupLog
{
    public static void Write(ILogger log, ServerSettings settings, RecommendationService service, string? configPath)
    {
        if (!log.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var snapshot = service.Current;
        var root = Path.GetFullPath(settings.BundleRoot);
        var config = configPath is null ? "none (settings from appsettings.json, RECKIT__* variables and --RecKit:* arguments)" : Path.GetFullPath(configPath);
        var types = string.Join(", ", settings.ToServiceOptions().FeedbackTypes.Weights.Select(w => $"{w.Key} {w.Value:0.###}"));
        Serving(log, snapshot.Bundle.Version, root, snapshot.Bundle.Manifest.DefaultVariant, service.Store.Location);
        Replayed(log, snapshot.Live.Count, snapshot.Live.UserCount, snapshot.ReplayedThrough);
        var retrieval = RetrievalOf(snapshot.Bundle);
        Retrieval(log, retrieval);
        Config(log, config, types);
        if (settings.Experiment is { } experiment)
        {
            var arms = string.Join(", ", experiment.Arms.Select(a => $"{a.Name} = {a.Variant} ×{a.Weight:0.###}"));
            Experiment(log, experiment.Name, experiment.ControlArm.Name, arms);
        }
        else
        {
            NoExperiment(log);
        }

        if (settings.Cluster is { Enabled: true } cluster)
        {
            Cluster(log, cluster.Address, cluster.SiloPort, cluster.ClusterId, cluster.Redis!, cluster.RolloutSeconds);
        }

        Dashboard(log, settings.Dashboard switch
        {
            { Enabled: false } => "off (serve.dashboard.enabled)",
            { ReadKey: null } => "at /dashboard, open to this machine only (serve.dashboard.readKey opens it to others)",
            { KeyOnLoopback: true } => "at /dashboard, with the read key for every client",
            _ => "at /dashboard, open to this machine, with the read key for other clients",
        });
    }

    /// <summary>How each factor model retrieves and where similar items come from: "approximate (HNSW) indexes for als, the norm-ordered exact scan for bpr, the exact scan for the others; similar items from itemknn".</summary>
    private static string RetrievalOf(RecKit.Serving.ServingBundle bundle)
    {
        var parts = new List<string>();
        if (bundle.ApproximateIndexes.Count > 0)
        {
            parts.Add($"approximate (HNSW) indexes for {string.Join(", ", bundle.ApproximateIndexes)}");
        }

        if (bundle.NormOrderedIndexes.Count > 0)
        {
            parts.Add($"the norm-ordered exact scan for {string.Join(", ", bundle.NormOrderedIndexes)}");
        }

        var users = parts.Count == 0 ? "the exact scan for every factor model" : $"{string.Join(", ", parts)}, the exact scan for the others";
        var similar = bundle.Similar switch
        {
            null => "no similar items",
            ({ } name, RecKit.Serving.CosineSimilarItems) => $"similar items from {name} through a graph of its unit item vectors",
            ({ } name, _) => $"similar items from {name}",
        };
        return $"{users}; {similar}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving bundle {Version} of {Root} (default variant {Variant}); interaction store {Store}")]
    private static partial void Serving(ILogger log, string version, string root, string variant, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "replayed {Interactions} ingested interactions of {Users} users from the store (through id {Through})")]
    private static partial void Replayed(ILogger log, long interactions, int users, long through);

    [LoggerMessage(Level = LogLevel.Information, Message = "retrieval: {Retrieval}")]
    private static partial void Retrieval(ILogger log, string retrieval);

    [LoggerMessage(Level = LogLevel.Information, Message = "config file: {Config}; feedback types: {Types}")]
    private static partial void Config(ILogger log, string config, string types);

    [LoggerMessage(Level = LogLevel.Information, Message = "experiment {Name} (control {Control}): {Arms}")]
    private static partial void Experiment(ILogger log, string name, string control, string arms);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: silo {Address}:{Port} of cluster {Cluster}, membership in Redis {Redis}; users' live state in grains; a new bundle switches when every silo holds it, or after {Rollout} s")]
    private static partial void Cluster(ILogger log, string address, int port, string cluster, string redis, double rollout);

    [LoggerMessage(Level = LogLevel.Information, Message = "dashboard: {Dashboard}")]
    private static partial void Dashboard(ILogger log, string dashboard);

    [LoggerMessage(Level = LogLevel.Information, Message = "no experiment: every user gets the default variant")]
    private static partial void NoExperiment(ILogger log);
}
