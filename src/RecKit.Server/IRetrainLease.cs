namespace RecKit.Server;

/// <summary>The right to retrain: always this process's on one node; in a cluster, one silo's at a time.</summary>
internal interface IRetrainLease
{
    Task<bool> TryTakeAsync();

    Task GiveBackAsync();
}

/// <summary>One node: the retrainer's own one-at-a-time is the whole rule.</summary>
internal sealed class LocalRetrainLease : IRetrainLease
{
    public Task<bool> TryTakeAsync() => Task.FromResult(true);

    public Task GiveBackAsync() => Task.CompletedTask;
}

/// <summary>A cluster: the retrain lease grain, held for at most <see cref="Lapse"/> (longer than any retrain should take).</summary>
internal sealed class ClusterRetrainLease(IGrainFactory grains, Orleans.Runtime.ILocalSiloDetails silo) : IRetrainLease
{
    public static readonly TimeSpan Lapse = TimeSpan.FromHours(6);

    private RecKit.Cluster.IRetrainLeaseGrain Grain => grains.GetGrain<RecKit.Cluster.IRetrainLeaseGrain>("retrain");

    public Task<bool> TryTakeAsync() => Grain.TryTakeAsync(silo.SiloAddress.ToParsableString(), Lapse);

    public Task GiveBackAsync() => Grain.GiveBackAsync(silo.SiloAddress.ToParsableString());
}
