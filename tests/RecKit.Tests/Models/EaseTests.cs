using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Tests.Models;

public class EaseTests : RecommenderContractTests
{
    protected override IRecommender Fit(Interactions train, int seed) => new EaseTrainer(new EaseOptions { Regularization = 10 }).Fit(train);

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(120)]
    public void Inverse_AgreesWithReference(int n)
    {
        var random = new Random(n);
        // A random SPD matrix: MᵀM + nI.
        var m = Enumerable.Range(0, n * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var a = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = i == j ? n : 0;
                for (var t = 0; t < n; t++)
                {
                    sum += m[(t * n) + i] * m[(t * n) + j];
                }

                a[(i * n) + j] = (float)sum;
            }
        }

        var expected = MatrixInverseReference.Invert(a, n);
        MatrixInverse.InvertSpd(a, n, threads: 2);
        for (var j = 0; j < a.Length; j++)
        {
            Assert.Equal(expected[j], a[j], 1e-4);
        }
    }

    [Fact]
    public void TooLargeCatalogue_IsRefusedWithTheMemoryItWouldNeed()
    {
        var data = TestData.Synthetic();
        var ex = Assert.Throws<ArgumentException>(() => new EaseTrainer(new EaseOptions { MaxItems = 50 }).Fit(data));
        Assert.Contains("GB", ex.Message);
        Assert.Contains("MaxItems", ex.Message);
    }

    [Fact]
    public void LatestSmall_BeatsPopularityOnNdcg()
    {
        var data = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var filtered = InteractionFilters.MinimumCounts(data, 1, 5).Interactions; // 3,650 items keep the test quick
        var split = Splitter.PerUser(filtered, 0.2, 42);
        var options = new EvaluationOptions { RelevanceThreshold = 4f, ComputeAuc = false };
        var popularity = Evaluator.Evaluate(new PopularityTrainer().Fit(split.Train), split.Train, split.Test, options)["NDCG@10"];
        var ease = Evaluator.Evaluate(new EaseTrainer().Fit(split.Train), split.Train, split.Test, options)["NDCG@10"];
        Assert.True(ease > popularity, $"EASE NDCG@10 {ease:F4} vs popularity {popularity:F4}");
    }
}
