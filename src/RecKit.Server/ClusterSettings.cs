namespace RecKit.Server;

/// <summary>
/// Cluster mode (serve.cluster): this process is also an Orleans silo, co-hosted with Kestrel; the silos of one cluster
/// find each other through Redis (Orleans' Redis membership provider: no schema to create), share the interaction store
/// in PostgreSQL (serve.postgres, required), load the same bundles from shared storage, and keep each user's live state
/// in one grain, so any silo answers any request.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>Run as a silo of a cluster. Default false (one node, everything in this process).</summary>
    public bool Enabled { get; init; }

    /// <summary>The Redis server of the membership table (StackExchange.Redis form, e.g. 127.0.0.1:6379). Required when enabled.</summary>
    public string? Redis { get; init; }

    /// <summary>The cluster's name: silos with the same id and Redis form one cluster. Default "reckit".</summary>
    public string ClusterId { get; init; } = "reckit";

    /// <summary>The address other silos reach this one at. Default 127.0.0.1 (several silos on one machine).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>The port of silo-to-silo traffic. Default 11111.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>The port Orleans clients would use (RecKit's own requests come through Kestrel). Default 30000.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Mount Orleans' own dashboard (grains, silos, calls) at /orleans, readable as RecKit's dashboard is. Default false.</summary>
    public bool OrleansDashboard { get; init; }

    /// <summary>
    /// How long a silo holding a new bundle ready waits for the others before the cluster switches without them (a silo
    /// that cannot load it keeps the old one). Default 60.
    /// </summary>
    public double RolloutSeconds { get; init; } = 60;

    /// <summary>
    /// How often a silo probes the others, in seconds, and how long it waits for each answer: a silo that misses
    /// <see cref="MissedProbes"/> in a row is suspected, and declared dead when two silos suspect it; its users' grains
    /// then come back on the others (until then they are served from the store). Default 1 (Orleans' own: 5, for
    /// networks slower than a data centre's).
    /// </summary>
    public double ProbeSeconds { get; init; } = 1;

    /// <summary>Probes missed in a row before a silo suspects another. Default 3.</summary>
    public int MissedProbes { get; init; } = 3;

    public void Validate(string? postgres)
    {
        if (!Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(Redis))
        {
            throw new ArgumentException("serve setting 'cluster.redis' is needed in cluster mode: the Redis server where the silos find each other (e.g. 127.0.0.1:6379).");
        }

        if (postgres is null)
        {
            throw new ArgumentException("serve setting 'postgres' is needed in cluster mode: every silo reads and writes one shared interaction store.");
        }

        if (!System.Net.IPAddress.TryParse(Address, out _))
        {
            throw new ArgumentException($"serve setting 'cluster.address' must be an IP address; it is '{Address}'.");
        }

        if (!double.IsFinite(RolloutSeconds) || RolloutSeconds < 0)
        {
            throw new ArgumentException($"serve setting 'cluster.rolloutSeconds' must be 0 or more; it is {RolloutSeconds}.");
        }

        if (!double.IsFinite(ProbeSeconds) || ProbeSeconds < 0.1 || ProbeSeconds > 60)
        {
            throw new ArgumentException($"serve setting 'cluster.probeSeconds' must be between 0.1 and 60; it is {ProbeSeconds}.");
        }

        OptionCheck.AtLeast("serve setting", "cluster.missedProbes", MissedProbes, 1);
        OptionCheck.AtLeast("serve setting", "cluster.siloPort", SiloPort, 1);
        OptionCheck.AtLeast("serve setting", "cluster.gatewayPort", GatewayPort, 1);
    }
}
