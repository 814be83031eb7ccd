using System.Diagnostics;
using System.Reflection;
using RecKit.Serving;

namespace RecKit.Server;

/// <summary>Where the service's settings came from: the config file a retrain should read too (null: none).</summary>
internal sealed record ServeSources(string? ConfigPath);

/// <summary>How a retrain ended: when, succeeded / failed / refused, why it ran, how long it took, and what it did.</summary>
public sealed record RetrainOutcome(DateTimeOffset At, string Outcome, string Reason, double Seconds, string Detail);

/// <summary>
/// The service retraining itself (<see cref="RetrainingSettings"/>): every CheckSeconds it asks whether the serving
/// bundle is older than EveryHours, whether AfterInteractions were stored since it, or whether the live state holds
/// MaxLiveInteractions; if so it runs one retrain as a child process, logs its progress and outcome, counts it in
/// /metrics, and on success loads the new bundle. A failed retrain leaves the serving bundle alone (the main job only
/// makes a complete bundle current), says why in the log with the child's last lines, and is not retried for
/// <see cref="FailureBackoff"/>.
/// </summary>
internal sealed partial class ScheduledRetrainer(RecommendationService service, ServerSettings settings, ServeSources sources, ServerMetrics metrics, IRetrainLease lease, ILogger<ScheduledRetrainer> log) : BackgroundService
{
    public static readonly TimeSpan FailureBackoff = TimeSpan.FromMinutes(15);

    private const int KeptLines = 20;

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;
    private bool _warnedOverCap;
    private RetrainOutcome? _last;

    /// <summary>Whether a retrain runs now (scheduled or asked for).</summary>
    public bool Running => _one.CurrentCount == 0;

    /// <summary>How the last retrain of this process ended; null before the first.</summary>
    public RetrainOutcome? Last => Volatile.Read(ref _last);

    /// <summary>Whether this process can retrain at all (a command configured, or reckit serve's own).</summary>
    public bool CanRun => settings.Retraining.Command is not null || DefaultCommand() is not null;

    /// <summary>Starts a retrain now unless one runs (false); it runs in the background and loads its bundle on success.</summary>
    public bool TryStart(string reason)
    {
        if (!CanRun || !_one.Wait(0))
        {
            return false;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await RunOnceAsync(reason, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the service is stopping
            }
            finally
            {
                _one.Release();
            }
        });
        return true;
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }

        base.Dispose();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop a service its container has already disposed (seen when a test's WebApplicationFactory
        // is disposed): Dispose cancelled the retrain then, and the disposed source must not be touched again.
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command that runs `reckit retrain` for this process: the reckit that is running (reckit serve), else null.</summary>
    public static IReadOnlyList<string>? DefaultCommand()
    {
        var entry = Assembly.GetEntryAssembly();
        if (entry?.GetName().Name != "RecKit.Cli" || Environment.ProcessPath is not { } process)
        {
            return null;
        }

        var host = Path.GetFileNameWithoutExtension(process);
        return host.Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? [process, entry.Location, "retrain"] : [process, "retrain"];
    }

    /// <summary>Why a retrain is due now, or null. Public for tests: the decision alone, without the clock or a process.</summary>
    public static string? Due(RetrainingSettings retraining, DateTimeOffset now, DateTimeOffset bundleCreated, long storedSince, long liveCount)
    {
        ArgumentNullException.ThrowIfNull(retraining);
        if (retraining.EveryHours > 0 && now - bundleCreated >= TimeSpan.FromHours(retraining.EveryHours))
        {
            return $"the serving bundle is {(now - bundleCreated).TotalHours:0.#} h old (serve.retraining.everyHours {retraining.EveryHours:0.##})";
        }

        if (retraining.AfterInteractions > 0 && storedSince >= retraining.AfterInteractions)
        {
            return $"{storedSince:N0} interactions were stored since the serving bundle (serve.retraining.afterInteractions {retraining.AfterInteractions:N0})";
        }

        if (retraining.MaxLiveInteractions > 0 && liveCount >= retraining.MaxLiveInteractions && storedSince > 0)
        {
            return $"the live state holds {liveCount:N0} interactions (serve.retraining.maxLiveInteractions {retraining.MaxLiveInteractions:N0})";
        }

        return null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retraining = settings.Retraining;
        if (!retraining.Enabled && retraining.MaxLiveInteractions == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(retraining.CheckSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var snapshot = service.Current;
            var storedSince = Math.Max(0, service.Store.LastInteractionId() - snapshot.Bundle.Manifest.IngestedThrough);
            var now = DateTimeOffset.UtcNow;
            var reason = Due(retraining, now, snapshot.Bundle.Manifest.CreatedUtc, storedSince, snapshot.Live.Count);
            metrics.LiveOverCap(retraining.MaxLiveInteractions > 0 && snapshot.Live.Count >= retraining.MaxLiveInteractions);
            if (reason is null || now < _notBefore)
            {
                continue;
            }

            if (!retraining.Enabled)
            {
                if (!_warnedOverCap)
                {
                    OverCap(log, reason);
                    _warnedOverCap = true;
                }

                continue;
            }

            _warnedOverCap = false;
            await RunAsync(reason, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one retrain to its end (one at a time: after any that runs) and loads its bundle on success.</summary>
    internal async Task<bool> RunAsync(string reason, CancellationToken cancellation)
    {
        await _one.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return await RunOnceAsync(reason, cancellation).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<bool> RunOnceAsync(string reason, CancellationToken cancellation)
    {
        if (!await lease.TryTakeAsync().ConfigureAwait(false))
        {
            ElsewhereRetraining(log, reason);
            metrics.Retrain("elsewhere");
            Volatile.Write(ref _last, new RetrainOutcome(DateTimeOffset.UtcNow, "elsewhere", reason, 0, "another silo of the cluster holds the retrain lease: its bundle reaches this one through the rollout"));
            return false;
        }

        try
        {
            return await RetrainAsync(reason, cancellation).ConfigureAwait(false);
        }
        finally
        {
            await lease.GiveBackAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> RetrainAsync(string reason, CancellationToken cancellation)
    {
        var command = settings.Retraining.Command ?? DefaultCommand()
            ?? throw new InvalidOperationException("serve.retraining.command is needed when RecKit.Server.dll runs on its own.");
        var options = settings.ToServiceOptions();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        if (sources.ConfigPath is { } config)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(Path.GetFullPath(config));
        }

        start.ArgumentList.Add("--bundle-root");
        start.ArgumentList.Add(Path.GetFullPath(options.BundleRoot));
        if (options.Postgres is { } postgres)
        {
            start.Environment["RECKIT__POSTGRES"] = postgres; // not an argument: a password would show in the process list
        }
        else
        {
            start.ArgumentList.Add("--db");
            start.ArgumentList.Add(Path.GetFullPath(options.DatabasePath));
        }
        foreach (var (type, weight) in options.FeedbackTypes.Weights)
        {
            start.ArgumentList.Add($"--RecKit:FeedbackTypes:{type}={weight.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        }

        var before = service.Current.Bundle.Version;
        Started(log, before, reason);
        metrics.RetrainRunning(true);
        var clock = Stopwatch.StartNew();
        var last = new Queue<string>();
        int exit;
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
            void Line(string? line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    return;
                }

                Progress(log, line);
                lock (last)
                {
                    last.Enqueue(line);
                    if (last.Count > KeptLines)
                    {
                        last.Dequeue();
                    }
                }
            }

            process.OutputDataReceived += (_, e) => Line(e.Data);
            process.ErrorDataReceived += (_, e) => Line(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            exit = process.ExitCode;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            exit = -1;
            last.Enqueue(ex.Message);
        }
        finally
        {
            metrics.RetrainRunning(false);
        }

        if (exit != 0)
        {
            _notBefore = DateTimeOffset.UtcNow + FailureBackoff;
            metrics.Retrain("failed");
            string tail;
            lock (last)
            {
                tail = string.Join(" | ", last);
            }

            Failed(log, exit, clock.Elapsed.TotalSeconds, before, FailureBackoff.TotalMinutes, tail);
            Volatile.Write(ref _last, new RetrainOutcome(DateTimeOffset.UtcNow, "failed", reason, clock.Elapsed.TotalSeconds, $"exit {exit}: {tail}"));
            return false;
        }

        var result = await BundleWatcher.ReloadAndReport(service, metrics, log).ConfigureAwait(false);
        metrics.Retrain(result.Refused is null ? "succeeded" : "refused");
        Finished(log, clock.Elapsed.TotalSeconds, before, result.Version, result.Refused ?? "loaded");
        Volatile.Write(ref _last, new RetrainOutcome(DateTimeOffset.UtcNow, result.Refused is null ? "succeeded" : "refused", reason, clock.Elapsed.TotalSeconds, result.Refused ?? $"{before} -> {result.Version}"));
        return result.Refused is null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retrain due ({Reason}), but another silo of the cluster is retraining: this one does not")]
    private static partial void ElsewhereRetraining(ILogger log, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "retrain started (serving {Version}): {Reason}")]
    private static partial void Started(ILogger log, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "retrain: {Line}")]
    private static partial void Progress(ILogger log, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "retrain failed (exit {Exit}) after {Seconds:0} s; {Version} keeps serving; next attempt in {Minutes} min at the earliest. Last lines: {Tail}")]
    private static partial void Failed(ILogger log, int exit, double seconds, string version, double minutes, string tail);

    [LoggerMessage(Level = LogLevel.Information, Message = "retrain finished in {Seconds:0} s: {Before} -> {After} ({Outcome})")]
    private static partial void Finished(ILogger log, double seconds, string before, string after, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}, and serve.retraining is off: memory grows until a retrain (reckit retrain) takes them in")]
    private static partial void OverCap(ILogger log, string reason);
}
