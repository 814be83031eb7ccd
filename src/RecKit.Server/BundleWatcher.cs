using RecKit.Serving;

namespace RecKit.Server;

/// <summary>Checks bundles/current every <see cref="ServerSettings.ReloadPollSeconds"/> and swaps to a new good bundle; a refused one is logged once.</summary>
internal sealed partial class BundleWatcher(RecommendationService service, ServerSettings settings, ServerMetrics metrics, ILogger<BundleWatcher> log) : BackgroundService
{
    private static string? _lastRefusal;

    /// <summary>Reloads, counts the outcome, moves the bundle gauge and logs a refusal (once per distinct refusal).</summary>
    /// <param name="recheckRefused">True for an operator's explicit reload: a bundle refused before is read again.</param>
    public static async Task<ReloadResult> ReloadAndReport(RecommendationService service, ServerMetrics metrics, ILogger log, bool recheckRefused = false)
    {
        var before = service.Current.Bundle.Version;
        var result = await service.ReloadAsync(recheckRefused).ConfigureAwait(false);
        var (version, refused, swapped) = result;
        if (refused is not null)
        {
            metrics.Reload("refused");
            if (refused != _lastRefusal)
            {
                Refused(log, version, refused);
                _lastRefusal = refused;
            }
        }
        else if (swapped)
        {
            metrics.Reload("loaded");
            Loaded(log, before, version);
        }

        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.ReloadPollSeconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.ReloadPollSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await ReloadAndReport(service, metrics, log).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "bundle refused, {Version} keeps serving: {Reason}")]
    private static partial void Refused(ILogger log, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle {Before} -> {After}: swapped; requests in flight finished on {Before}")]
    private static partial void Loaded(ILogger log, string before, string after);
}
