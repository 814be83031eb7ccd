using RecKit.Data;
using RecKit.Evaluation;
using RecKit.Models;

namespace RecKit.Tests.Evaluation;

/// <summary>The protocol of DESIGN.md on cases worked out by hand (the arithmetic is in the comments).</summary>
public class EvaluatorTests
{
    /// <summary>Fixed scores per user; predicts the rating 3 for everything.</summary>
    private sealed class FixedScores(float[][] scores) : IRecommender, IRatingPredictor
    {
        public int UserCount => scores.Length;

        public int ItemCount => scores[0].Length;

        public bool IsKnownUser(int user) => true;

        public void ScoreAll(int user, Span<float> output) => scores[user].CopyTo(output);

        public void Score(int user, ReadOnlySpan<int> items, Span<float> output)
        {
            for (var j = 0; j < items.Length; j++)
            {
                output[j] = scores[user][items[j]];
            }
        }

        public float PredictRating(int user, int item) => 3f;
    }

    // Six items. User 0 ranks 0 > 1 > 2 > 3 > 4 > 5 and has item 1 in training (excluded), so the ranking is
    // 0, 2, 3, 4, 5; relevant test items 2 (rated 5) and 5 (rated 4). User 1 scores every item the same (ties
    // by lower index: 0, 1, 2, 3, 4, 5); relevant test item 4 (rated 4). User 2's only test item is rated 2:
    // not relevant at threshold 4. User 3 has no test item.
    private static readonly float[][] Scores =
    [
        [0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f],
        [0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f],
        [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f],
        [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f],
    ];

    private static (Interactions Train, Interactions Test) Case()
    {
        var train = TestData.Build(4, 6, (0, 1, 4), (3, 0, 5));
        var test = TestData.Like(train, (0, 2, 5), (0, 5, 4), (1, 4, 4), (2, 0, 2));
        return (train, test);
    }

    private static EvaluationResult Evaluate(params int[] ks)
    {
        var (train, test) = Case();
        return Evaluator.Evaluate(new FixedScores(Scores), train, test, new EvaluationOptions { Ks = ks, RelevanceThreshold = 4f, KeepPerUser = true });
    }

    [Fact]
    public void RankingMetricsAtThree_MatchHandValues()
    {
        var r = Evaluate(3);
        // User 0: top 3 = [0, 2, 3], hits [F, T, F]. User 1: top 3 = [0, 1, 2], no hit.
        Assert.Equal(2, r.UsersEvaluated);
        Assert.Equal(1, r.UsersWithoutRelevant);
        Assert.Equal(0.5, r["HitRate@3"], 10);                 // (1 + 0) / 2
        Assert.Equal(1.0 / 6, r["Precision@3"], 10);           // (1/3 + 0) / 2
        Assert.Equal(0.25, r["Recall@3"], 10);                 // (1/2 + 0) / 2
        Assert.Equal(0.125, r["MAP@3"], 10);                   // user 0: (1/min(3,2)) × (1/2) = 0.25
        var ndcg0 = (1 / Math.Log2(3)) / (1 + (1 / Math.Log2(3)));
        Assert.Equal(ndcg0 / 2, r["NDCG@3"], 10);              // user 0: DCG 1/log2 3, IDCG 1 + 1/log2 3
        Assert.Equal(0.35, r["MRR"], 10);                      // user 0: rank 2 → 1/2; user 1: item 4 is 5th → 1/5
        Assert.Equal((1.0 / 3 + 0.5) / 2, r["AUC"], 10);       // user 0: item 2 beats 3 and 4 of {0,3,4}, item 5 none → 2/6; user 1: all tied → 1/2
        Assert.Equal(4.0 / 6, r["Coverage@3"], 10);            // {0, 2, 3} ∪ {0, 1, 2}
    }

    [Fact]
    public void FewerRelevantThanK_UsesMinOfKAndRelevant()
    {
        var r = Evaluate(5);
        var user0 = r.PerUser!.Single(p => p.User == 0);
        double Get(string name) => user0.Metrics.Single(m => m.Name == name).Value;
        // Top 5 = [0, 2, 3, 4, 5], hits at ranks 2 and 5.
        Assert.Equal(0.4, Get("Precision@5"), 10);
        Assert.Equal(1.0, Get("Recall@5"), 10);
        Assert.Equal(0.5 * (0.5 + 0.4), Get("MAP@5"), 10);     // (1/2)(1/2 + 2/5)
        var dcg = (1 / Math.Log2(3)) + (1 / Math.Log2(6));
        Assert.Equal(dcg / (1 + (1 / Math.Log2(3))), Get("NDCG@5"), 10);
    }

    [Fact]
    public void RatingErrors_CoverEveryTestRating()
    {
        var r = Evaluate(3);
        // Predictions 3 against 5, 4, 4, 2: errors 2, 1, 1, 1.
        Assert.Equal(4, r.RatingsPredicted);
        Assert.Equal(Math.Sqrt(7.0 / 4), r["RMSE"], 10);
        Assert.Equal(1.25, r["MAE"], 10);
    }

    [Fact]
    public void TrainingItems_AreNeverRanked()
    {
        // Without exclusion, user 0's item 1 takes rank 2 and pushes item 2 to rank 3.
        var (train, test) = Case();
        var model = new FixedScores(Scores);
        var excluded = Evaluator.Evaluate(model, train, test, new EvaluationOptions { Ks = [2], RelevanceThreshold = 4f, KeepPerUser = true });
        var included = Evaluator.Evaluate(model, train, test, new EvaluationOptions { Ks = [2], RelevanceThreshold = 4f, KeepPerUser = true, ExcludeTrainingItems = false });
        Assert.Equal(1, excluded.PerUser!.Single(p => p.User == 0).Metrics.Single(m => m.Name == "HitRate@2").Value);
        Assert.Equal(0, included.PerUser!.Single(p => p.User == 0).Metrics.Single(m => m.Name == "HitRate@2").Value);
    }

    [Fact]
    public void WithoutThreshold_EveryTestItemIsRelevant()
    {
        var (train, test) = Case();
        var r = Evaluator.Evaluate(new FixedScores(Scores), train, test, new EvaluationOptions { Ks = [3] });
        Assert.Equal(3, r.UsersEvaluated); // user 2's item rated 2 now counts
        Assert.Equal(0, r.UsersWithoutRelevant);
    }

    [Fact]
    public void UserSample_IsSeededAndSized()
    {
        var data = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var split = RecKit.Data.Splits.Splitter.PerUser(data, 0.2, 1);
        var model = new PopularityTrainer().Fit(split.Train);
        EvaluationResult Run(int seed) => Evaluator.Evaluate(model, split.Train, split.Test, new EvaluationOptions { SampleUsers = 100, Seed = seed, KeepPerUser = true, ComputeAuc = false });
        var a = Run(4);
        var b = Run(4);
        var c = Run(5);
        Assert.Equal(100, a.UsersEvaluated);
        Assert.Equal(a.PerUser!.Select(p => p.User), b.PerUser!.Select(p => p.User));
        Assert.NotEqual(a.PerUser!.Select(p => p.User), c.PerUser!.Select(p => p.User));
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(50, 10)]
    [InlineData(200, 40)]
    public void Auc_AgreesWithPairCounting(int items, int relevantCount)
    {
        var random = new Random(items);
        var scores = Enumerable.Range(0, items).Select(_ => random.Next(0, 8) * 0.25f).ToArray();
        scores[0] = float.NegativeInfinity; // excluded item
        var relevant = Enumerable.Range(1, items - 1).OrderBy(_ => random.Next()).Take(relevantCount).Order().ToArray();
        double wins = 0;
        var negatives = Enumerable.Range(1, items - 1).Except(relevant).ToArray();
        foreach (var r in relevant)
        {
            foreach (var n in negatives)
            {
                wins += scores[r] > scores[n] ? 1 : scores[r] == scores[n] ? 0.5 : 0;
            }
        }

        var expected = wins / (relevant.Length * negatives.Length);
        Assert.Equal(expected, Evaluator.Auc(scores, relevant, new float[items], new float[items]), 10);
    }

    [Fact]
    public void RankingMetrics_NoRelevant_GiveZero()
    {
        bool[] hits = [true, false];
        Assert.Equal(0, RankingMetrics.Recall(hits, 2, 0));
        Assert.Equal(0, RankingMetrics.Ndcg(hits, 2, 0));
        Assert.Equal(0, RankingMetrics.AveragePrecision(hits, 2, 0));
        Assert.Equal(0, RankingMetrics.ReciprocalRank(0));
    }
}
