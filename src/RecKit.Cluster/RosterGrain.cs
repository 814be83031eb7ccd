namespace RecKit.Cluster;

/// <summary>The latest report of each silo, in memory.</summary>
internal sealed class RosterGrain : Grain, IRosterGrain
{
    private readonly Dictionary<string, SiloReport> _reports = new(StringComparer.Ordinal);

    public Task ReportAsync(SiloReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _reports[report.Silo] = report;
        return Task.CompletedTask;
    }

    public Task<SiloReport[]> AllAsync() => Task.FromResult(_reports.Values.OrderBy(r => r.Silo, StringComparer.Ordinal).ToArray());
}
