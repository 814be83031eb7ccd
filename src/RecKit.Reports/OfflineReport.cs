using System.Globalization;
using System.Text;
using System.Text.Json;
using RecKit.Evaluation;
using RecKit.Persistence;
using RecKit.Ranking;

using RecKit.IO;

namespace RecKit.Reports;

/// <summary>
/// Writes the offline evaluation report: report.md (tables), report.json (every figure) and PNG charts of the
/// top-K metrics per model and of the tree stacks' feature importances.
/// </summary>
public static class OfflineReport
{
    /// <param name="notes">Extra Markdown sections (e.g. the cold-start experiment), appended as given.</param>
    /// <returns>The files written.</returns>
    /// <param name="relevance">What makes a test item relevant, in words ("test rating ≥ 4", "any held-out interaction").</param>
    public static IReadOnlyList<string> Write(string folder, StackReport report, int k, IReadOnlyDictionary<string, object>? extra = null, string? notes = null, string relevance = "test rating ≥ threshold")
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        var metrics = MetricNames.Select(m => $"{m}@{k}").ToArray();

        var md = new StringBuilder()
            .AppendLine("# Offline evaluation")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Test part of the three-way split; full-catalogue ranking with train_full items excluded; relevant = {relevance}. Stacks rank their candidates only (candidate recall on test: {report.CandidateRecall:P1} of the relevant pairs, {report.CandidateRecallPerUser:P1} per user on average; on meta_train: {report.MetaTrainCandidateRecall:P1}). Meta-model training rows: {report.MetaRows:N0}, {report.MetaPositiveRate:P2} positive, from {Users(report.MetaUsers.Used, report.MetaUsers.Of, "meta_train")}{(report.MetaSplits > 1 ? $" and the held-out users of {report.MetaSplits - 1} more splits of train_full ({report.MetaSplits} meta splits, the base models refitted on each)" : string.Empty)}. Evaluated on {Users(report.TestUsers.Evaluated, report.TestUsers.Of, "test")}.")
            .AppendLine()
            .Append("| model | trained on | ").AppendJoin(" | ", metrics).AppendLine(" | RMSE |")
            .Append("|---|---|").AppendJoin(string.Empty, metrics.Select(_ => "---:|")).AppendLine("---:|");
        foreach (var row in report.Rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.Model} | {row.TrainedOn} | ")
                .AppendJoin(" | ", metrics.Select(m => row.Result[m].ToString("F4", CultureInfo.InvariantCulture)))
                .AppendLine(row.Result.TryGet("RMSE", out var rmse) ? string.Create(CultureInfo.InvariantCulture, $" | {rmse:F4} |") : " | - |");
        }

        // Models that rank by their predicted rating (item-kNN also predicts ratings, but ranks by neighbour similarity).
        var predictors = report.Rows.Select(r => r.Model).Distinct().Where(m => m is "bias" or "mf" or "svd++").ToList();
        if (predictors.Count > 0)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"{string.Join(" and ", predictors)} {(predictors.Count == 1 ? "is a rating predictor" : "are rating predictors")}: trained to predict the rating a user would give an item, not which items they will choose. Ranked over the whole catalogue, a predicted rating favours obscure items with a few high ratings over the popular ones people actually pick, so their top-{k} figures are low by design; their RMSE column is what they are for, and in the stacks their predictions are one feature among others.");
        }

        var best = report.Rows.Where(r => r.TrainedOn != "meta_train").MaxBy(r => r.Result[$"NDCG@{k}"])!;
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Best single model by NDCG@{k}: **{best.Model}** ({best.TrainedOn}), {best.Result[$"NDCG@{k}"]:F4}.");
        foreach (var stack in report.Rows.Where(r => r.TrainedOn == "meta_train"))
        {
            var precision = stack.Result[$"Precision@{k}"] - best.Result[$"Precision@{k}"];
            md.AppendLine(CultureInfo.InvariantCulture, $"- {stack.Model}: {Difference(stack.Result, best.Result, k)}; Precision@{k} {SignedFigure.Of(precision)} against it.");
        }

        // The ranking stacks against the pointwise linear one: does learning to rank per user pay here?
        if (report.Rows.FirstOrDefault(r => r.Model == "LogisticStack") is { } logistic)
        {
            var ranking = report.Rows.Where(r => r.Model is "LambdaMARTStack" or "XeNdcgStack" or "BlendStack").ToList();
            if (ranking.Count > 0)
            {
                md.AppendLine();
            }

            foreach (var stack in ranking)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"{stack.Model} against LogisticStack: {Difference(stack.Result, logistic.Result, k)}.");
            }
        }

        AppendCandidates(md, report);
        md.AppendLine().AppendLine("## Feature importances").AppendLine();
        foreach (var (model, importances) in report.Importances)
        {
            md.Append(CultureInfo.InvariantCulture, $"- **{model}**: ").AppendLine(string.Join(", ", importances.OrderByDescending(i => i.Importance).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Feature} {i.Importance:G3}"))));
        }

        if (notes is not null)
        {
            md.AppendLine().Append(notes);
        }

        // Charts: base models refitted on train_full next to the stacks.
        var shown = report.Rows.Where(r => r.TrainedOn is "train_full" or "meta_train").ToList();
        var values = new double[metrics.Length, shown.Count];
        for (var m = 0; m < metrics.Length; m++)
        {
            for (var s = 0; s < shown.Count; s++)
            {
                values[m, s] = shown[s].Result[metrics[m]];
            }
        }

        var chart = Path.Combine(folder, "metrics.png");
        Charts.GroupedBars(chart, $"Top-{k} quality on test (base models on train_full, stacks)", metrics, shown.Select(r => r.Model).ToList(), values);
        files.Add(chart);
        md.AppendLine().AppendLine("![metrics](metrics.png)");
        foreach (var (model, importances) in report.Importances.Where(p => p.Key.Contains("GB", StringComparison.Ordinal) || p.Key.Contains("LambdaMART", StringComparison.Ordinal)))
        {
            var ordered = importances.OrderByDescending(i => i.Importance).ToList();
            var path = Path.Combine(folder, $"importance_{model}.png");
            Charts.Bars(path, $"{model}: feature importance (split gain)", "gain (relative)", ordered.Select(i => i.Feature).ToList(), ordered.Select(i => i.Importance).ToList(), rotateLabels: true);
            files.Add(path);
            md.AppendLine(CultureInfo.InvariantCulture, $"![{model}](importance_{model}.png)");
        }

        var mdPath = Path.Combine(folder, "report.md");
        AtomicFile.WriteAllText(mdPath, md.ToString());
        files.Add(mdPath);

        var json = new
        {
            candidateRecall = report.CandidateRecall,
            candidateRecallPerUser = report.CandidateRecallPerUser,
            metaSplits = report.MetaSplits,
            metaTrainCandidateRecall = report.MetaTrainCandidateRecall,
            metaRows = report.MetaRows,
            testUsersEvaluated = report.TestUsers.Evaluated,
            testUsers = report.TestUsers.Of,
            metaUsersUsed = report.MetaUsers.Used,
            metaUsers = report.MetaUsers.Of,
            metaPositiveRate = report.MetaPositiveRate,
            candidates = report.Candidates.ToDictionary(c => c.Source, c => c.Size),
            candidatePlan = report.CandidatePlan is { } plan ? new
            {
                budget = plan.Budget,
                usersMeasured = plan.UsersMeasured,
                relevantItems = plan.RelevantPairs,
                recall = plan.Recall,
                recallAt = plan.Curves.ToDictionary(c => c.Key, c => CurveDepths(plan).ToDictionary(d => d.ToString(CultureInfo.InvariantCulture), d => c.Value[d])),
                steps = plan.Steps.Select(s => new { source = s.Source, size = s.Size, recall = s.Recall }),
            } : null,
            rows = report.Rows.Select(r => new
            {
                model = r.Model,
                trainedOn = r.TrainedOn,
                usersEvaluated = r.Result.UsersEvaluated,
                usersWithoutRelevant = r.Result.UsersWithoutRelevant,
                metrics = r.Result.Metrics.ToDictionary(m => m.Name, m => double.IsFinite(m.Value) ? m.Value : (double?)null),
            }),
            importances = report.Importances.ToDictionary(p => p.Key, p => p.Value.ToDictionary(i => i.Feature, i => i.Importance)),
            extra,
        };
        var jsonPath = Path.Combine(folder, "report.json");
        AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(json, JsonOptions) + "\n");
        files.Add(jsonPath);
        return files;
    }

    /// <summary>
    /// "NDCG@10 +0.0261 (95% interval +0.0142 to +0.0376, paired bootstrap over 600 users), beyond chance" for one model
    /// against another when both evaluations kept their per-user figures; the difference alone otherwise.
    /// </summary>
    private static string Difference(EvaluationResult model, EvaluationResult other, int k)
    {
        var metric = $"NDCG@{k}";
        if (model.PerUser is null || other.PerUser is null)
        {
            return $"{metric} {SignedFigure.Of(model[metric] - other[metric])}";
        }

        var d = PairedBootstrap.Compare(model, other, metric);
        return $"{d.Describe(metric)}, {(d.Settled ? "beyond chance" : "within chance")}";
    }

    /// <summary>The candidate sources and sizes; when chosen by the planner, each source's recall curve on meta_train beside them.</summary>
    private static void AppendCandidates(StringBuilder md, StackReport report)
    {
        md.AppendLine().AppendLine("## Candidates").AppendLine();
        if (report.CandidatePlan is not { } plan)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Fixed sizes from the settings: {string.Join(", ", report.Candidates.Select(c => $"{c.Source} {c.Size}"))}.");
            return;
        }

        var depths = CurveDepths(plan);
        md.AppendLine(CultureInfo.InvariantCulture, $"Sizes chosen by marginal recall within {plan.Budget} per user: each source (base models fitted on base_train, and popularity) ranked the catalogue for {plan.UsersMeasured:N0} meta_train users with {plan.RelevantPairs:N0} relevant held-out items; the budget went {plan.Step} items at a time to the source whose next items found the most relevant items no chosen share held yet. Chosen: {string.Join(", ", plan.Sizes.Select(c => $"{c.Source} {c.Size}"))} (meta_train recall {plan.Recall:P1}; test recall {report.CandidateRecall:P1}, per user on average {report.CandidateRecallPerUser:P1}).")
            .AppendLine()
            .Append("| source | chosen | ").AppendJoin(" | ", depths.Select(d => $"recall@{d}")).AppendLine(" |")
            .Append("|---|---:|").AppendJoin(string.Empty, depths.Select(_ => "---:|")).AppendLine();
        foreach (var (source, curve) in plan.Curves.OrderByDescending(c => c.Value[^1]))
        {
            var chosen = plan.Sizes.FirstOrDefault(c => c.Source == source).Size;
            md.Append(CultureInfo.InvariantCulture, $"| {source} | {chosen} | ").AppendJoin(" | ", depths.Select(d => curve[d].ToString("P1", CultureInfo.InvariantCulture))).AppendLine(" |");
        }
    }

    /// <summary>The depths a recall curve is shown at: 10, 50, 100, 200 and the budget (those within the curve).</summary>
    private static int[] CurveDepths(CandidatePlan plan)
    {
        var last = plan.Curves.Values.First().Length - 1;
        return [.. new[] { 10, 50, 100, 200, last }.Where(d => d <= last).Distinct()];
    }

    private static readonly string[] MetricNames = ["HitRate", "Precision", "Recall", "NDCG", "MAP"];

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>"all 610 test users", or "20,000 of 136,994 test users (a seeded sample)".</summary>
    private static string Users(int used, int of, string part) =>
        used == of ? string.Create(CultureInfo.InvariantCulture, $"all {of:N0} {part} users") : string.Create(CultureInfo.InvariantCulture, $"{used:N0} of {of:N0} {part} users (a seeded sample)");
}
