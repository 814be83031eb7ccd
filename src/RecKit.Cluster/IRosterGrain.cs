namespace RecKit.Cluster;

/// <summary>
/// What each silo serves (one grain, key "roster"): every silo reports its bundle version and health every few seconds,
/// so any silo's dashboard can show them all. Only reports kept: a grain lost with its silo fills again within seconds.
/// </summary>
[Alias("RecKit.Cluster.IRosterGrain")]
public interface IRosterGrain : IGrainWithStringKey
{
    [Alias("Report")]
    Task ReportAsync(SiloReport report);

    [Alias("All")]
    Task<SiloReport[]> AllAsync();
}

/// <summary>A silo's report: its address, HTTP address, serving bundle, bundles refused since start, ingested live state held through it, and when it said so.</summary>
[GenerateSerializer, Immutable, Alias("RecKit.Cluster.SiloReport")]
public sealed record SiloReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Http,
    [property: Id(2)] string Bundle,
    [property: Id(3)] long Refused,
    [property: Id(4)] long Live,
    [property: Id(5)] DateTimeOffset At);
