using System.Text.Json.Nodes;
using RecKit.Bundles;
using RecKit.Data;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Ranking;

namespace RecKit.Pipeline;

/// <summary>
/// Design note 3 §8.1's offline layer, last step: from the offline report, what goes into production. Every base model the
/// stacks read (and every candidate source, and popularity) is refitted on all the data exactly as serving uses it;
/// the stacks' meta models are the ones the report measured (trained on meta_train); each persistable base model and
/// stack becomes a variant; the default variant is the report's winner by NDCG@K unless one is named.
/// </summary>
public static class ProductionBundle
{
    public static BundleContent Build(
        StackReport report,
        Interactions data,
        Func<string, Interactions, IRecommender> fit,
        Func<string, JsonObject?> options,
        IReadOnlyList<(string Source, int Size)> candidates,
        int k,
        string? defaultVariant,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(data);
        var scored = report.FeatureNames.Where(f => f.StartsWith("score_", StringComparison.Ordinal)).Select(f => f["score_".Length..]);
        var names = scored.Concat(candidates.Select(c => c.Source)).Append("popularity").Distinct().ToList();
        if (defaultVariant is not null && report.Rows.Any(r => r.Model == defaultVariant && r.TrainedOn == "train_full") && !names.Contains(defaultVariant))
        {
            names.Add(defaultVariant);
        }

        var models = new List<(string, IRecommender, JsonObject?)>();
        foreach (var name in names)
        {
            progress?.Report($"fitting {name} on all {data.Count:N0} interactions for the bundle");
            models.Add((name, name == "popularity" ? new PopularityTrainer().Fit(data) : fit(name, data), options(name)));
        }

        var variants = models.Where(m => m.Item2 is IPersistableModel && m.Item1 != "popularity").Select(m => new BundleVariant(m.Item1, "factor", m.Item1)).ToList();
        var stacks = report.MetaModels.Where(m => m is LogisticStack or ITreeEnsemble).ToList();
        variants.AddRange(stacks.Select(m => new BundleVariant(m.Name, "stack", m.Name)));
        var offered = variants.Select(v => v.Name).ToHashSet();
        var metric = $"NDCG@{k}";
        var measured = report.Rows.Where(r => r.TrainedOn is "train_full" or "meta_train").ToList();
        var chosen = defaultVariant ?? measured.Where(r => offered.Contains(r.Model)).MaxBy(r => r.Result.TryGet(metric, out var v) ? v : double.NegativeInfinity)?.Model
            ?? variants.FirstOrDefault()?.Name
            ?? throw new BundleException("No model of this run can be served.");
        if (!offered.Contains(chosen))
        {
            throw new BundleException($"The production model '{chosen}' is not a servable variant of this run ({string.Join(", ", offered)}).");
        }

        return new BundleContent
        {
            Data = data,
            Values = data.HasRatings ? ValueMeaning.Ratings : ValueMeaning.Counts,
            Models = models,
            MetaModels = stacks,
            StackFeatures = report.FeatureNames,
            Candidates = candidates,
            Variants = variants,
            DefaultVariant = chosen,
            OfflineMetrics = measured.GroupBy(r => r.Model).ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, double>)g.Last().Result.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Name, m => m.Value)),
        };
    }
}
