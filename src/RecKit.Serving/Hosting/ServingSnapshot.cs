namespace RecKit.Serving;

/// <summary>A loaded bundle and the interactions ingested since it was trained: what one request reads, swapped as a whole on reload.</summary>
public sealed record ServingSnapshot(ServingBundle Bundle, LiveInteractions Live);
