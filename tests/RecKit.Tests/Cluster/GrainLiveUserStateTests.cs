using Microsoft.Extensions.DependencyInjection;
using RecKit.Cluster;
using RecKit.Serving;
using RecKit.Tests.Serving.LiveState;

namespace RecKit.Tests.Cluster;

/// <summary>The live user state contract on user grains in a two-silo Orleans test cluster.</summary>
public sealed class GrainLiveUserStateTests(OrleansTestCluster cluster) : LiveUserStateContract, IClassFixture<OrleansTestCluster>
{
    protected override ILiveUserState Create() => new GrainLiveUserState(cluster.Cluster.Client, $"test-{Guid.NewGuid():N}");

    [Fact]
    public async Task WhatOneSiloApplies_AnotherSiloReads_AndADuplicateCountsOnce()
    {
        var scope = $"test-{Guid.NewGuid():N}";
        var silos = cluster.Cluster.Silos;
        Assert.Equal(2, silos.Count);
        // Two states of one scope, through the grain factories of the two silos: two servers of one cluster.
        var a = new GrainLiveUserState(silos[0].ServiceProvider.GetRequiredService<IGrainFactory>(), scope);
        var c = new GrainLiveUserState(silos[1].ServiceProvider.GetRequiredService<IGrainFactory>(), scope);
        var bundle = RecKit.Data.CsrMatrix.FromCoordinates(1, 8, [0], [1], [1f]);
        await a.ApplyAsync([new LiveInteraction("u", 4, 2, 7), new LiveInteraction("u", 6, -1, 8)]);
        var seen = await c.UserAsync("u", 0, bundle);
        Assert.Equal([1, 4], seen.History);
        Assert.Equal([1, 4, 6], seen.Excluded);
        await c.ApplyAsync([new LiveInteraction("u", 4, 2, 7)]); // delivered again: the same store id
        var weights = (await a.UserAsync("u", 0, bundle)).Weights;
        Assert.Equal([1f, 2f], weights);
        Assert.Equal(0, c.Count);
        await c.EraseAsync("u");
        Assert.False((await a.UserAsync("u", 0, bundle)).Changed);
    }
}
