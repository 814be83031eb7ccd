using Prometheus;

namespace RecKit.Server;

/// <summary>
/// The Prometheus metrics of the service (GET /metrics): request latency per endpoint, variant and status; errors;
/// the serving bundle; ingest counts and lag; cold-start answers; refused bundles.
/// </summary>
public static class ServerMetrics
{
    public static readonly Histogram RequestSeconds = Metrics.CreateHistogram(
        "reckit_request_duration_seconds",
        "Time to answer a request, by endpoint, variant and status code.",
        new HistogramConfiguration { LabelNames = ["endpoint", "variant", "status"], Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });

    public static readonly Counter Errors = Metrics.CreateCounter("reckit_errors_total", "Requests answered with 4xx or 5xx, by endpoint and status code.", "endpoint", "status");

    public static readonly Gauge BundleInfo = Metrics.CreateGauge("reckit_bundle_info", "1 for the bundle being served (label version).", "version");

    public static readonly Counter BundleReloads = Metrics.CreateCounter("reckit_bundle_reloads_total", "Bundle swaps, by outcome (loaded, refused).", "outcome");

    public static readonly Counter Ingested = Metrics.CreateCounter("reckit_ingested_interactions_total", "Interactions stored durably and applied, by type.", "type");

    public static readonly Histogram IngestLagSeconds = Metrics.CreateHistogram(
        "reckit_ingest_lag_seconds",
        "From the interaction's own timestamp to its durable acknowledgement.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 4, 12) });

    public static readonly Gauge LiveInteractions = Metrics.CreateGauge("reckit_live_interactions", "Interactions ingested since the serving bundle was trained (held in memory until a retrain takes them in).");

    public static readonly Counter Answers = Metrics.CreateCounter("reckit_recommendations_total", "Recommendation answers, by variant and whether the user was cold.", "variant", "cold");

    public static readonly Counter Feedback = Metrics.CreateCounter("reckit_feedback_total", "Impressions and clicks logged, by kind and variant.", "kind", "variant");

    private static string? _version;

    /// <summary>Moves the bundle gauge to <paramref name="version"/>.</summary>
    public static void ServingBundle(string version)
    {
        if (_version == version)
        {
            return;
        }

        if (_version is not null)
        {
            BundleInfo.RemoveLabelled(_version);
        }

        BundleInfo.WithLabels(version).Set(1);
        _version = version;
    }
}
