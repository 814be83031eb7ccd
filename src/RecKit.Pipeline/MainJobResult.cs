using RecKit.Ranking;

namespace RecKit.Pipeline;

/// <summary>What a main-job run produced: the offline report, the bundle it wrote, the production ranker, the files.</summary>
public sealed record MainJobResult(StackReport Report, int K, string BundleVersion, string ProductionRanker, int EdaFiles, int ReportFiles, TimeSpan Elapsed)
{
    /// <summary>Each stage's wall time, in order (load, eda, base models and stacks, cold start, report, bundle, recommendations).</summary>
    public IReadOnlyList<(string Stage, TimeSpan Time)> Stages { get; init; } = [];
}
