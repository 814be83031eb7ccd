using System.Diagnostics.Metrics;
using RecKit.Serving;

namespace RecKit.Server;

/// <summary>
/// The service's metrics as .NET instruments on one <see cref="Meter"/> ("RecKit", made by the host's
/// <see cref="IMeterFactory"/>), so any listener can read them (dotnet-counters, OpenTelemetry); GET /metrics publishes
/// them in the Prometheus format through OpenTelemetry's exporter. Request latency per endpoint, variant and
/// status; errors; the serving bundle; ingest counts and lag; interactions held live; answers by variant and
/// coldness; feedback; bundle reloads by outcome. OpenTelemetry's Prometheus exporter names them as Prometheus expects
/// (reckit.errors → reckit_errors_total, reckit.request.duration in s → reckit_request_duration_seconds).
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "RecKit";

    /// <summary>The request-latency histogram's bucket bounds in seconds: 0.1 ms doubling to 3.3 s.</summary>
    internal static readonly double[] LatencyBuckets = [.. Enumerable.Range(0, 16).Select(i => 0.0001 * Math.Pow(2, i))];
    private static readonly double[] LagBuckets = [.. Enumerable.Range(0, 12).Select(i => 0.001 * Math.Pow(4, i))];

    private readonly Histogram<double> _requestSeconds;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _ingested;
    private readonly Histogram<double> _ingestLag;
    private readonly Counter<long> _answers;
    private readonly Counter<long> _feedback;
    private readonly Counter<long> _retrains;
    private int _retrainRunning;
    private int _overCap;

    private readonly KeyValuePair<string, object?>? _silo;

    public ServerMetrics(IMeterFactory meters, RecommendationService service, ServerSettings settings, RecKit.Cluster.GrainFallbacks? fallbacks = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(settings);
        // In a cluster every series names its silo (label silo="ADDRESS:SILOPORT"): a scrape of each silo can be told apart.
        _silo = settings.Cluster.Enabled ? new("silo", $"{settings.Cluster.Address}:{settings.Cluster.SiloPort}") : null;
        var meter = meters.Create(MeterName);
        Meter = meter;
        _requestSeconds = meter.CreateHistogram("reckit.request.duration", "s", "Time to answer a request, by endpoint, variant and status code.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _errors = meter.CreateCounter<long>("reckit.errors", description: "Requests answered with 4xx or 5xx, by endpoint and status code.");
        _reloads = meter.CreateCounter<long>("reckit.bundle_reloads", description: "Bundle swaps, by outcome (loaded, refused).");
        _ingested = meter.CreateCounter<long>("reckit.ingested_interactions", description: "Interactions stored durably and applied, by type.");
        _ingestLag = meter.CreateHistogram("reckit.ingest.lag", "s", "From the interaction's own timestamp to its durable acknowledgement.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        _answers = meter.CreateCounter<long>("reckit.recommendations", description: "Recommendation answers, by the variant that ranked and whether the user was cold.");
        _feedback = meter.CreateCounter<long>("reckit.feedback", description: "Impressions and clicks logged, by kind and variant.");
        meter.CreateObservableGauge("reckit.bundle_info", () => new Measurement<int>(1, Tags(Tag("version", service.Current.Bundle.Version))), description: "1 for the bundle being served (label version).");
        _retrains = meter.CreateCounter<long>("reckit.retrains", description: "Retrains the service ran by itself, by outcome (succeeded, failed, refused; elsewhere: another silo of the cluster held the lease).");
        meter.CreateObservableGauge("reckit.retrain_running", () => new Measurement<int>(Volatile.Read(ref _retrainRunning), Tags()), description: "1 while a scheduled retrain runs.");
        meter.CreateObservableGauge("reckit.live_backlog_over_cap", () => new Measurement<int>(Volatile.Read(ref _overCap), Tags()), description: "1 while the live state holds serve.retraining.maxLiveInteractions or more.");
        if (fallbacks is not null)
        {
            meter.CreateObservableCounter("reckit.cluster.store_reads", () => new Measurement<long>(fallbacks.Reads, Tags()), description: "Requests this silo answered from the store because the user's grain was on a silo it could not reach.");
            meter.CreateObservableCounter("reckit.cluster.missed_applies", () => new Measurement<long>(fallbacks.Applies, Tags()), description: "Users whose grain could not be reached by an ingest here (committed; the grain catches up from the store).");
        }

        meter.CreateObservableGauge("reckit.live_interactions", () => new Measurement<long>(service.Current.Live.Count, Tags()), description: "Interactions ingested since the serving bundle was trained (held in memory until a retrain takes them in; in a cluster, through this silo).");
    }

    /// <summary>This server's meter (a test host may hold several servers, each with its own).</summary>
    public Meter Meter { get; }

    public void Request(string endpoint, string variant, int status, double seconds)
    {
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _requestSeconds.Record(seconds, Tags(Tag("endpoint", endpoint), Tag("variant", variant), Tag("status", code)));
        if (status >= 400)
        {
            _errors.Add(1, Tags(Tag("endpoint", endpoint), Tag("status", code)));
        }
    }

    public void Reload(string outcome) => _reloads.Add(1, Tags(Tag("outcome", outcome)));

    public void Ingested(string type, long count) => _ingested.Add(count, Tags(Tag("type", type)));

    public void IngestLag(double seconds) => _ingestLag.Record(seconds, Tags());

    public void Answer(string variant, bool cold) => _answers.Add(1, Tags(Tag("variant", variant), Tag("cold", cold ? "true" : "false")));

    public void Retrain(string outcome) => _retrains.Add(1, Tags(Tag("outcome", outcome)));

    public void RetrainRunning(bool running) => Volatile.Write(ref _retrainRunning, running ? 1 : 0);

    public void LiveOverCap(bool over) => Volatile.Write(ref _overCap, over ? 1 : 0);

    public void Feedback(string kind, long count) => _feedback.Add(count, Tags(Tag("kind", kind), Tag("variant", "any")));

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    /// <summary>The tags given, and the silo's in a cluster.</summary>
    private System.Diagnostics.TagList Tags(params ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var list = new System.Diagnostics.TagList(tags);
        if (_silo is { } silo)
        {
            list.Add(silo);
        }

        return list;
    }
}
