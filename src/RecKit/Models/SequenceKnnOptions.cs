namespace RecKit.Models;

/// <summary>Options of <see cref="SequenceKnnTrainer"/>, with documented defaults.</summary>
public sealed record SequenceKnnOptions
{
    /// <summary>
    /// How far apart two of a user's interactions may be, in places of the user's history ordered by time, to count as a
    /// pair; a pair d places apart weighs 1/d. Default 10.
    /// </summary>
    public int Window { get; init; } = 10;

    /// <summary>Neighbours kept per item. Default 200.</summary>
    public int Neighbours { get; init; } = 200;

    /// <summary>Threads for the similarity build; null uses every core (the result does not depend on it).</summary>
    public int? Threads { get; init; }

    internal void Validate()
    {
        OptionCheck.AtLeast("seqknn option", "window", Window, 1);
        OptionCheck.AtLeast("seqknn option", "neighbours", Neighbours, 1);
        OptionCheck.AtLeast("seqknn option", "threads", Threads, 1);
    }
}
