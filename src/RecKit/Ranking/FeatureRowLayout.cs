namespace RecKit.Ranking;

/// <summary>
/// Where each block of a stack feature row starts: a score per base model, the statistics, the per-user columns (a z
/// and a rank per model), a flag per candidate source, the time columns, in that order. Offline rows
/// (<see cref="MetaFeatures"/>) and served ones (the stack ranker) are laid out by this one type, so they cannot drift.
/// </summary>
internal readonly record struct FeatureRowLayout(int Models, int Statistics, bool PerUser, int Flags, bool Time)
{
    public int StatisticsAt => Models;

    public int PerUserAt => StatisticsAt + Statistics;

    public int FlagsAt => PerUserAt + (PerUser ? 2 * Models : 0);

    public int TimeAt => FlagsAt + Flags;

    /// <summary>Columns in a row.</summary>
    public int Width => TimeAt + (Time ? TimeStatistics.Count : 0);
}
