using Microsoft.Extensions.DependencyInjection;
using RecKit.Server;

namespace RecKit.Tests.Cluster;

/// <summary>What every <see cref="IRetrainLease"/> promises its one process: a lease it took can be taken again by it, and once given back, taken again.</summary>
public abstract class RetrainLeaseContract
{
    private protected abstract IRetrainLease Create();

    [Fact]
    public async Task ALeaseTaken_IsTheHoldersAgain_AndAfterGivingItBackCanBeTakenAgain()
    {
        var lease = Create();
        Assert.True(await lease.TryTakeAsync());
        Assert.True(await lease.TryTakeAsync()); // its holder: a retrain may be retried without waiting for the lapse
        await lease.GiveBackAsync();
        Assert.True(await lease.TryTakeAsync());
        await lease.GiveBackAsync();
    }
}

public sealed class LocalRetrainLeaseTests : RetrainLeaseContract
{
    private protected override IRetrainLease Create() => new LocalRetrainLease();
}

/// <summary>The cluster's lease, through one silo of the test cluster; a second silo's lease waits for it.</summary>
public sealed class ClusterRetrainLeaseTests(OrleansTestCluster cluster) : RetrainLeaseContract, IClassFixture<OrleansTestCluster>
{
    private protected override IRetrainLease Create() => Lease(0);

    [Fact]
    public async Task WhileOneSiloHoldsIt_AnotherSiloCannotTakeIt()
    {
        var (a, b) = (Lease(0), Lease(1));
        Assert.True(await a.TryTakeAsync());
        Assert.False(await b.TryTakeAsync());
        await a.GiveBackAsync();
        Assert.True(await b.TryTakeAsync());
        await b.GiveBackAsync();
    }

    private ClusterRetrainLease Lease(int silo)
    {
        var services = cluster.Cluster.Silos[silo].ServiceProvider;
        return new ClusterRetrainLease(services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>());
    }
}
