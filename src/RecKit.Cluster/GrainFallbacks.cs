namespace RecKit.Cluster;

/// <summary>
/// What a silo did without a user's grain because the silo holding it could not be reached (it died and is not yet
/// declared dead, or a call timed out): reads answered from the store, and ingests whose grain missed them (they are
/// committed; the grain is brought up to date from the store on the user's next read here, or when it comes back
/// elsewhere). One per silo, across bundle versions, published on /metrics.
/// </summary>
public sealed class GrainFallbacks
{
    private long _reads;
    private long _applies;

    /// <summary>Requests answered from the store instead of the user's grain.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Users whose grain missed a committed ingest.</summary>
    public long Applies => Interlocked.Read(ref _applies);

    internal void Read() => Interlocked.Increment(ref _reads);

    internal void Apply() => Interlocked.Increment(ref _applies);
}
