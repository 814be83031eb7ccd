using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RecKit.Cluster;
using RecKit.Serving;

namespace RecKit.Server;

/// <summary>Cluster mode: tells the roster grain every 2 s what this silo serves (for the dashboard's cluster page).</summary>
internal sealed partial class ClusterReporter(RecommendationService service, IGrainFactory grains, Orleans.Runtime.ILocalSiloDetails silo, IServer server, ILogger<ClusterReporter> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                var http = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? string.Empty;
                var current = service.Current;
                await grains.GetGrain<IRosterGrain>("roster").ReportAsync(new SiloReport(silo.SiloAddress.ToParsableString(), http, current.Bundle.Version, service.RejectedReloads, current.Live.Count, DateTimeOffset.UtcNow)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Orleans.Runtime.OrleansException or TimeoutException or InvalidOperationException)
            {
                ReportFailed(log, ex.Message); // joining or leaving the cluster: the next tick tries again
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "could not report to the cluster roster: {Reason}")]
    private static partial void ReportFailed(ILogger log, string reason);
}
