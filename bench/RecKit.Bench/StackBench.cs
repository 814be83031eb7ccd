using System.Globalization;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Bench;

/// <summary>Design note 3's stacking experiment on MovieLens latest-small (or a directory given as the first argument).</summary>
internal static class StackBench
{
    public static int Run(string[] args)
    {
        var directory = args.Length > 0 ? args[0] : Path.Combine("data", "ml-latest-small");
        var data = MovieLens.LoadRatings(directory).Interactions;
        var catalog = MovieLens.LoadItemMetadata(directory, data.ItemMap)!;
        var split = Splitter.ThreeWay(data, 42);
        (string, Func<Interactions, IRecommender>)[] models =
        [
            ("bias", t => new BiasTrainer().Fit(t)),
            ("itemknn", t => new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 50, Weighting = KnnWeighting.Bm25 }).Fit(t)),
            ("mf", t => new MatrixFactorizationTrainer(new MatrixFactorizationOptions { Epochs = 60 }).Fit(t)),
            ("genre", t => new ContentTrainer(catalog.Genres.Values).Fit(t)),
            ("als", t => new AlsTrainer().Fit(t)),
        ];
        var report = StackExperiment.Run(split, models, new StackExperimentOptions(), new Progress<string>(Console.WriteLine));
        foreach (var row in report.Rows)
        {
            var r = row.Result;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Model,-16} {row.TrainedOn,-11} HR@10 {r["HitRate@10"]:F4} P@10 {r["Precision@10"]:F4} R@10 {r["Recall@10"]:F4} NDCG@10 {r["NDCG@10"]:F4} MAP@10 {r["MAP@10"]:F4}{(r.TryGet("RMSE", out var rmse) ? $" RMSE {rmse:F4}" : string.Empty)}"));
        }

        Console.WriteLine($"candidate recall: test {report.CandidateRecall:P1}, meta_train {report.MetaTrainCandidateRecall:P1}; meta rows {report.MetaRows:N0}, positive rate {report.MetaPositiveRate:P2}");
        foreach (var (model, importances) in report.Importances)
        {
            Console.WriteLine($"{model}: {string.Join(", ", importances.OrderByDescending(i => i.Importance).Select(i => $"{i.Feature} {i.Importance:G3}"))}");
        }

        return 0;
    }
}
