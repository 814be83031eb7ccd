namespace RecKit.Serving;

/// <summary>
/// A loaded bundle and the live user state built on it: what one request reads, swapped as a whole on reload.
/// <see cref="ReplayedThrough"/> is the last store id the state was replayed through: an ingest acknowledged before
/// the replay read the store is already in it, and is not applied again.
/// </summary>
public sealed record ServingSnapshot(ServingBundle Bundle, ILiveUserState Live, long ReplayedThrough = 0);
