using RecKit.Ranking;

namespace RecKit.Pipeline;

/// <summary>What a main-job run produced: the offline report, the bundle it wrote, the production ranker, the files.</summary>
public sealed record MainJobResult(StackReport Report, int K, string BundleVersion, string ProductionRanker, int EdaFiles, int ReportFiles, TimeSpan Elapsed);
