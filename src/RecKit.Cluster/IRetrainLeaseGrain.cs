namespace RecKit.Cluster;

/// <summary>
/// The cluster's one retrain at a time (one grain, key "retrain"): a silo takes the lease before it retrains and gives
/// it back after, so a schedule that comes due on every silo retrains once. A lease not given back (its silo died
/// mid-retrain) lapses after its time.
/// </summary>
[Alias("RecKit.Cluster.IRetrainLeaseGrain")]
public interface IRetrainLeaseGrain : IGrainWithStringKey
{
    /// <summary>Takes the lease for <paramref name="holder"/> unless another holds it and it has not lapsed.</summary>
    [Alias("TryTake")]
    Task<bool> TryTakeAsync(string holder, TimeSpan lapse);

    /// <summary>Gives the lease back (only its holder can).</summary>
    [Alias("GiveBack")]
    Task GiveBackAsync(string holder);
}
