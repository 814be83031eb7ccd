using RecKit.Cluster;

namespace RecKit.Tests.Cluster;

/// <summary>The cluster's one retrain at a time, on the in-process test cluster.</summary>
public sealed class RetrainLeaseTests(OrleansTestCluster cluster) : IClassFixture<OrleansTestCluster>
{
    [Fact]
    public async Task OneSiloHoldsTheLease_TheOthersWait_AndALeaseNotGivenBackLapses()
    {
        var lease = cluster.Cluster.Client.GetGrain<IRetrainLeaseGrain>($"retrain-{Guid.NewGuid():N}");
        Assert.True(await lease.TryTakeAsync("silo-a", TimeSpan.FromHours(1)));
        Assert.False(await lease.TryTakeAsync("silo-b", TimeSpan.FromHours(1)));
        Assert.True(await lease.TryTakeAsync("silo-a", TimeSpan.FromHours(1))); // its holder may take it again
        await lease.GiveBackAsync("silo-b"); // not the holder: nothing happens
        Assert.False(await lease.TryTakeAsync("silo-c", TimeSpan.FromHours(1)));
        await lease.GiveBackAsync("silo-a");
        Assert.True(await lease.TryTakeAsync("silo-c", TimeSpan.FromMilliseconds(200)));
        await Task.Delay(300); // silo-c died holding it
        Assert.True(await lease.TryTakeAsync("silo-b", TimeSpan.FromHours(1)));
    }
}
