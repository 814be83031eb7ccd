namespace RecKit.Serving;

/// <summary>An interaction as the store keeps it: external ids, type, value, when it happened (Unix ms) and its row id once stored.</summary>
public sealed record StoredInteraction(string User, string Item, string Type, double Value, long Timestamp)
{
    public long Id { get; init; }
}
