using RecKit.Data;

namespace RecKit.Serving;

/// <summary>
/// What the service knows of each user beyond the serving bundle: the interactions ingested since it was trained
/// (positives with summed weights, negatives never to be recommended again), and the vectors folded from them. It holds
/// exactly the interactions stored after the bundle's IngestedThrough; a new bundle starts a new state, replayed from
/// the store. In-process today (<see cref="InProcessLiveUserState"/>); a cluster keeps it in one grain per user, hence
/// the asynchronous contract. Every implementation passes LiveUserStateContract.
/// </summary>
public interface ILiveUserState
{
    /// <summary>The highest store id applied.</summary>
    long AppliedThrough { get; }

    /// <summary>Interactions held.</summary>
    long Count { get; }

    /// <summary>Users with anything ingested since the bundle.</summary>
    int UserCount { get; }

    /// <summary>Records stored interactions of known items (a weight below 0: a negative, never recommended again).</summary>
    ValueTask ApplyAsync(IReadOnlyList<LiveInteraction> interactions);

    /// <summary>
    /// The user as a request sees them: <paramref name="bundleHistory"/>'s row <paramref name="index"/> (−1: a user the
    /// bundle does not know) merged with what was ingested since.
    /// </summary>
    ValueTask<LiveUser> UserAsync(string id, int index, CsrMatrix bundleHistory);

    /// <summary>Forgets everything ingested for the user.</summary>
    ValueTask EraseAsync(string id);
}

/// <summary>One stored interaction as the live state takes it: the bundle's item index, its signed weight, its store id.</summary>
public readonly record struct LiveInteraction(string User, int Item, float Weight, long Id);
