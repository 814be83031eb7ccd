namespace RecKit.Ranking;

/// <summary>
/// What <see cref="CandidatePlanner"/> chose: items per source (sources given nothing are left out), the recall the
/// chosen sizes reached on the measured sample, each source's recall curve (Curves[name][d] = recall of its top d),
/// and the greedy's steps in order (the source given the step, its size after it, the recall after it).
/// </summary>
public sealed record CandidatePlan(
    IReadOnlyList<(string Source, int Size)> Sizes,
    double Recall,
    IReadOnlyDictionary<string, double[]> Curves,
    IReadOnlyList<(string Source, int Size, double Recall)> Steps)
{
    /// <summary>The budget the sizes sum to at most.</summary>
    public int Budget { get; init; }

    /// <summary>Items handed out at a time.</summary>
    public int Step { get; init; }

    /// <summary>Held-out users measured, and their relevant items in all.</summary>
    public int UsersMeasured { get; init; }

    public int RelevantPairs { get; init; }
}
