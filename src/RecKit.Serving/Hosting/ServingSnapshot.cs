namespace RecKit.Serving;

/// <summary>A loaded bundle and the live user state built on it: what one request reads, swapped as a whole on reload.</summary>
public sealed record ServingSnapshot(ServingBundle Bundle, ILiveUserState Live);
