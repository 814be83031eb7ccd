using Orleans.Runtime;
using RecKit.Cluster;

namespace RecKit.Server.Dashboard;

/// <summary>The cluster page's rows: membership's view of every silo, joined with what each last reported serving.</summary>
internal static class ClusterView
{
    public static async Task<IReadOnlyList<SiloRow>> SilosAsync(IServiceProvider services)
    {
        var membership = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot;
        var me = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var reports = (await ReportsAsync(services).ConfigureAwait(false)).ToDictionary(r => r.Silo, StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        return [.. membership.Members.Values
            .Where(m => m.Status is not SiloStatus.None)
            .OrderBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .Select(m =>
            {
                var key = m.SiloAddress.ToParsableString();
                var report = reports.GetValueOrDefault(key);
                return new SiloRow(m.SiloAddress.Endpoint.ToString(), m.Status.ToString().ToLowerInvariant(), report?.Http, report?.Bundle, report?.Refused ?? 0, report?.Live ?? 0, report is null ? null : now - report.At, m.SiloAddress.Equals(me));
            })];
    }

    /// <summary>
    /// What the silos last reported; none while the roster grain's silo cannot be reached (it died and is not yet declared
    /// dead): membership's view is shown regardless, which is what an operator needs then.
    /// </summary>
    private static async Task<SiloReport[]> ReportsAsync(IServiceProvider services)
    {
        try
        {
            return await services.GetRequiredService<IGrainFactory>().GetGrain<IRosterGrain>("roster").AllAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (GrainLiveUserState.Unreachable(ex))
        {
            return [];
        }
    }
}
