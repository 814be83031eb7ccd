using Orleans.TestingHost;

namespace RecKit.Tests.Cluster;

/// <summary>
/// Orleans' in-process test cluster (two silos, so grain calls cross silos), started once for the test run and shared:
/// each test takes its own grains (a new state scope), so tests do not see each other.
/// </summary>
public sealed class OrleansTestCluster : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
