namespace RecKit.Cluster;

/// <summary>
/// One user's live state in the cluster, keyed "SCOPE/USER" (the scope: one serving bundle's state): what was ingested
/// for them since the bundle, held by exactly one silo at a time, so an interaction ingested through any silo is seen
/// by the next request on every silo.
/// </summary>
[Alias("RecKit.Cluster.IUserStateGrain")]
public interface IUserStateGrain : IGrainWithStringKey
{
    /// <summary>Adds interactions (each once: an id already held is skipped); completes with how many were new.</summary>
    [Alias("Apply")]
    Task<int> ApplyAsync(LiveEntry[] entries);

    /// <summary>What was ingested, sorted, with a version that changes with every change.</summary>
    [Alias("Get")]
    Task<UserDelta> GetAsync();

    /// <summary>Forgets everything ingested; completes with how many interactions it held.</summary>
    [Alias("Erase")]
    Task<int> EraseAsync();
}

/// <summary>One ingested interaction as a user grain keeps it: the bundle's item index, its signed weight, its store id.</summary>
[GenerateSerializer, Immutable, Alias("RecKit.Cluster.LiveEntry")]
public sealed record LiveEntry([property: Id(0)] int Item, [property: Id(1)] float Weight, [property: Id(2)] long Id);

/// <summary>
/// A user's ingested state: positive items ascending with summed weights, negative items ascending, how many
/// interactions it holds, and a version that changes with every change (0: nothing ingested).
/// </summary>
[GenerateSerializer, Immutable, Alias("RecKit.Cluster.UserDelta")]
public sealed record UserDelta([property: Id(0)] long Version, [property: Id(1)] int[] Items, [property: Id(2)] float[] Weights, [property: Id(3)] int[] Negatives, [property: Id(4)] int Count)
{
    public static UserDelta Empty { get; } = new(0, [], [], [], 0);
}
