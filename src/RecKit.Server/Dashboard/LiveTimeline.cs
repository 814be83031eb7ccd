using System.Diagnostics.Metrics;

namespace RecKit.Server.Dashboard;

/// <summary>One ten-second step of the last hour: traffic, latency per variant, errors, ingest and cold answers.</summary>
/// <param name="Start">The step's first second.</param>
/// <param name="Latency">Per variant that answered (and "all"): requests, p50 and p99 in milliseconds.</param>
public sealed record TimelineStep(DateTimeOffset Start, long Requests, long Errors, long Ingested, double MeanLagSeconds, long Answers, long ColdAnswers, IReadOnlyDictionary<string, VariantLatency> Latency)
{
    public double PerSecond(long count) => count / (double)LiveTimeline.StepSeconds;
}

/// <summary>A variant's requests in one step and their median and 99th-percentile latency in milliseconds.</summary>
public sealed record VariantLatency(long Requests, double P50, double P99);

/// <summary>
/// The last hour of the service in ten-second steps, for the dashboard's live charts. It listens to this server's own
/// instruments (<see cref="ServerMetrics"/>'s meter, through a <see cref="MeterListener"/>), so the charts and /metrics
/// count the same events; latency quantiles come from the same bucket bounds as the Prometheus histogram, interpolated
/// within the bucket. A step is a ring slot reused an hour later; recording takes one short lock on that slot.
/// </summary>
public sealed class LiveTimeline : IDisposable
{
    public const int StepSeconds = 10;
    public const int Steps = 360;
    public const string AllVariants = "all";

    private readonly Slot[] _slots = new Slot[Steps];
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;

    internal LiveTimeline(ServerMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _time = time;
        for (var i = 0; i < Steps; i++)
        {
            _slots[i] = new Slot();
        }

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.Start();
    }

    /// <summary>The steps of the last <paramref name="minutes"/> minutes, oldest first, the current (partial) one last; a step with nothing recorded is all zeros.</summary>
    public IReadOnlyList<TimelineStep> Last(int minutes)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        var count = Math.Clamp(minutes * 60 / StepSeconds, 1, Steps);
        var steps = new List<TimelineStep>(count);
        for (var s = now - count + 1; s <= now; s++)
        {
            steps.Add(_slots[(int)(s % Steps)].Read(s));
        }

        return steps;
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case "reckit.request.duration":
                Current().Request(Tag(tags, "variant"), value);
                break;
            case "reckit.ingest.lag":
                Current().Lag(value);
                break;
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case "reckit.errors":
                var errors = Current();
                errors.Add(ref errors.Errors, value);
                break;
            case "reckit.ingested_interactions":
                var ingested = Current();
                ingested.Add(ref ingested.Ingested, value);
                break;
            case "reckit.recommendations":
                Current().Answer(Tag(tags, "cold") == "true");
                break;
        }
    }

    private Slot Current()
    {
        var step = _time.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        var slot = _slots[(int)(step % Steps)];
        slot.Claim(step);
        return slot;
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string ?? "none";
            }
        }

        return "none";
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>One step's counts; reset when the ring comes round to it again.</summary>
    private sealed class Slot
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, long[]> _histograms = new(StringComparer.Ordinal);
        private long _step = -1;
        private long _requests;
        private double _lagSum;
        private long _lagCount;
        private long _answers;
        private long _cold;
        public long Errors;
        public long Ingested;

        public void Claim(long step)
        {
            if (Volatile.Read(ref _step) == step)
            {
                return;
            }

            lock (_gate)
            {
                if (_step != step)
                {
                    _step = step;
                    _histograms.Clear();
                    _requests = _lagCount = _answers = _cold = Errors = Ingested = 0;
                    _lagSum = 0;
                }
            }
        }

        public void Add(ref long field, long value)
        {
            lock (_gate)
            {
                field += value;
            }
        }

        public void Request(string variant, double seconds)
        {
            var bucket = Bucket(seconds);
            lock (_gate)
            {
                _requests++;
                Histogram(AllVariants)[bucket]++;
                if (variant != "none")
                {
                    Histogram(variant)[bucket]++;
                }
            }
        }

        public void Lag(double seconds)
        {
            lock (_gate)
            {
                _lagSum += seconds;
                _lagCount++;
            }
        }

        public void Answer(bool cold)
        {
            lock (_gate)
            {
                _answers++;
                _cold += cold ? 1 : 0;
            }
        }

        public TimelineStep Read(long step)
        {
            var start = DateTimeOffset.FromUnixTimeSeconds(step * StepSeconds);
            lock (_gate)
            {
                if (_step != step)
                {
                    return new TimelineStep(start, 0, 0, 0, 0, 0, 0, new Dictionary<string, VariantLatency>());
                }

                var latency = _histograms.ToDictionary(h => h.Key, h => new VariantLatency(h.Value.Sum(), Quantile(h.Value, 0.5), Quantile(h.Value, 0.99)), StringComparer.Ordinal);
                return new TimelineStep(start, _requests, Errors, Ingested, _lagCount == 0 ? 0 : _lagSum / _lagCount, _answers, _cold, latency);
            }
        }

        private long[] Histogram(string variant)
        {
            if (!_histograms.TryGetValue(variant, out var counts))
            {
                counts = new long[ServerMetrics.LatencyBuckets.Length + 1];
                _histograms[variant] = counts;
            }

            return counts;
        }
    }

    /// <summary>The Prometheus bucket a latency falls in: the first bound at or above it (the last: above every bound).</summary>
    internal static int Bucket(double seconds)
    {
        var bounds = ServerMetrics.LatencyBuckets;
        for (var b = 0; b < bounds.Length; b++)
        {
            if (seconds <= bounds[b])
            {
                return b;
            }
        }

        return bounds.Length;
    }

    /// <summary>The q-quantile in milliseconds from bucket counts, interpolated linearly within its bucket (the open last bucket reads as its lower bound).</summary>
    internal static double Quantile(long[] counts, double q)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return 0;
        }

        var bounds = ServerMetrics.LatencyBuckets;
        var rank = q * total;
        long below = 0;
        for (var b = 0; b < counts.Length; b++)
        {
            if (below + counts[b] >= rank && counts[b] > 0)
            {
                var lower = b == 0 ? 0 : bounds[b - 1];
                if (b == bounds.Length)
                {
                    return lower * 1000;
                }

                var fraction = (rank - below) / counts[b];
                return (lower + (fraction * (bounds[b] - lower))) * 1000;
            }

            below += counts[b];
        }

        return bounds[^1] * 1000;
    }
}
