using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;
using Xunit.Abstractions;

namespace RecKit.Tests.Models;

public class BaselineQualityTests(ITestOutputHelper output)
{
    private static readonly Lazy<Split> LatestSmallSplit = new(() =>
        Splitter.PerUser(MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions, 0.2, seed: 42));

    [Fact]
    public void Popularity_OnLatestSmall_RanksWellAboveChance()
    {
        var split = LatestSmallSplit.Value;
        var model = new PopularityTrainer().Fit(split.Train);
        var result = Evaluator.Evaluate(model, split.Train, split.Test, new EvaluationOptions { RelevanceThreshold = 4f });
        output.WriteLine(string.Join(", ", result.Metrics.Select(m => $"{m.Name}={m.Value:F4}")));
        // Random ranking over ~9,700 items would give NDCG@10 near 0.001.
        Assert.InRange(result["NDCG@10"], 0.05, 1);
        Assert.InRange(result["HitRate@10"], 0.3, 1);
    }

    [Fact]
    public void Bias_OnLatestSmall_PredictsRatingsBetterThanItemMeans()
    {
        var split = LatestSmallSplit.Value;
        var bias = new BiasTrainer().Fit(split.Train);
        var popularity = new PopularityTrainer().Fit(split.Train);
        var options = new EvaluationOptions { RelevanceThreshold = 4f, ComputeAuc = false };
        var biasResult = Evaluator.Evaluate(bias, split.Train, split.Test, options);
        var popResult = Evaluator.Evaluate(popularity, split.Train, split.Test, options);
        output.WriteLine($"bias RMSE {biasResult["RMSE"]:F4}, item-mean RMSE {popResult["RMSE"]:F4}");
        Assert.True(biasResult["RMSE"] < popResult["RMSE"]);
        Assert.InRange(biasResult["RMSE"], 0.5, 0.92);
    }
}
