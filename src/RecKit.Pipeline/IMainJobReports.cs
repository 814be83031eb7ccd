using RecKit.Data;
using RecKit.Ranking;

namespace RecKit.Pipeline;

/// <summary>
/// The main job's figures and report files: the library decides what to write and when, an implementation (RecKit.Reports,
/// with ScottPlot) draws it. Each method returns the files it wrote.
/// </summary>
public interface IMainJobReports
{
    /// <summary>EDA of the interactions (rating or count distribution, activity, long tail; genres when given).</summary>
    IReadOnlyList<string> WriteEda(Interactions data, string folder, IReadOnlyList<(string Genre, int Count)>? genres, ReadOnlySpan<float> rawCounts);

    /// <summary>Distributions of one feature table (top categories, numeric histograms).</summary>
    IReadOnlyList<string> WriteFeatures(FeatureMatrix features, string owner, string folder);

    /// <summary>The tuning trials as a chart (every trial's validation score against its share of the budget, per model).</summary>
    IReadOnlyList<string> WriteTuning(string folder, IReadOnlyList<RecKit.Tuning.TuningResult> results, int k);

    /// <summary>report.md, report.json and the charts of the offline experiment.</summary>
    IReadOnlyList<string> WriteReport(string folder, StackReport report, int k, IReadOnlyDictionary<string, object>? extra, string? notes, string relevance);
}
