using RecKit.Data;
using RecKit.Pipeline;
using RecKit.Ranking;

namespace RecKit.Reports;

/// <summary>The main job's figures and report drawn with ScottPlot (EdaFigures, OfflineReport).</summary>
public sealed class MainJobReports : IMainJobReports
{
    public IReadOnlyList<string> WriteEda(Interactions data, string folder, IReadOnlyList<(string Genre, int Count)>? genres, ReadOnlySpan<float> rawCounts) =>
        EdaFigures.Write(data, folder, genres, rawCounts);

    public IReadOnlyList<string> WriteFeatures(FeatureMatrix features, string owner, string folder) => EdaFigures.WriteFeatures(features, owner, folder);

    public IReadOnlyList<string> WriteTuning(string folder, IReadOnlyList<RecKit.Tuning.TuningResult> results, int k)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "tuning.png");
        Charts.Points(path, $"Tuning trials: validation NDCG@{k} by the share of the budget", "share of the full budget", $"NDCG@{k} (validation)", [.. results.Select(r => (r.Model, r.Trials.Select(t => t.Budget).ToArray(), r.Trials.Select(t => t.Score).ToArray()))]);
        return [path];
    }

    public IReadOnlyList<string> WriteReport(string folder, StackReport report, int k, IReadOnlyDictionary<string, object>? extra, string? notes, string relevance) =>
        OfflineReport.Write(folder, report, k, extra, notes, relevance);
}
