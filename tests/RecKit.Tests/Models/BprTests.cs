using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Tests.Models;

/// <summary>The Adam path under the whole contract (the same model on any thread count).</summary>
public class BprTests : RecommenderContractTests
{
    protected override IRecommender Fit(Interactions train, int seed) =>
        new BprTrainer(new BprOptions { Factors = 8, Epochs = 5, Seed = seed, LearningRate = 0.01, Optimizer = ImplicitOptimizer.Adam }).Fit(train);

    protected override bool UsesSeed => true;

    [Fact]
    public void PairwiseStep_AgreesWithScalarReference()
    {
        var random = new Random(2);
        foreach (var k in new[] { 1, 13, 64 })
        {
            float[] Draw() => Enumerable.Range(0, k).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var (x, p, n) = (Draw(), Draw(), Draw());
            var (rx, rp, rn) = ((float[])x.Clone(), (float[])p.Clone(), (float[])n.Clone());
            PairwiseStep.Apply(x, p, n, 0.7f, 0.05f, 0.01f);
            PairwiseStepReference.Apply(rx, rp, rn, 0.7f, 0.05f, 0.01f);
            for (var f = 0; f < k; f++)
            {
                Assert.Equal(rx[f], x[f], 1e-6f);
                Assert.Equal(rp[f], p[f], 1e-6f);
                Assert.Equal(rn[f], n[f], 1e-6f);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(71)]
    public void AdamStep_AgreesWithReference(int k)
    {
        var random = new Random(4 + k);
        float[] Draw() => Enumerable.Range(0, k).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var p = Draw();
        var (m, v) = (new float[k], new float[k]);
        var (rp, rm, rv) = ((float[])p.Clone(), new float[k], new float[k]);
        for (var t = 1; t <= 5; t++)
        {
            var g = Draw(); // a new gradient each step, so the moments differ from lane to lane
            AdamStep.Apply(p, g, m, v, t, 1e-3f, 1e-6f);
            PairwiseStepReference.Adam(rp, g, rm, rv, t, 1e-3f, 1e-6f);
        }

        for (var f = 0; f < k; f++)
        {
            Assert.Equal(rp[f], p[f], 1e-6f);
        }
    }

    [Fact]
    public void AdamPath_GivesTheSameModelOnAnyThreadCount()
    {
        var data = TestData.Synthetic();
        LatentFactorModel Fit(int threads) => new BprTrainer(new BprOptions { Factors = 16, Epochs = 3, BatchSize = 64, Threads = threads, Optimizer = ImplicitOptimizer.Adam }).Fit(data);
        var (one, two) = (Fit(1), Fit(2));
        Assert.Equal(one.AllUserFactors.ToArray(), two.AllUserFactors.ToArray());
        Assert.Equal(one.AllItemFactors.ToArray(), two.AllItemFactors.ToArray());
        Assert.Equal(one.ItemBiases.ToArray(), two.ItemBiases.ToArray());
    }

    [Fact]
    public void AdamStep_VectorLanesEqualTheScalarLoop_BitForBit()
    {
        // 17 entries where the last (done by the scalar tail) repeats the inputs of the first (done by a vector lane).
        var random = new Random(9);
        var p = Enumerable.Range(0, 17).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        p[16] = p[0];
        var (m, v) = (new float[17], new float[17]);
        for (var t = 1; t <= 7; t++)
        {
            var g = Enumerable.Range(0, 17).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            g[16] = g[0];
            AdamStep.Apply(p, g, m, v, t, 1e-2f, 1e-3f);
            Assert.Equal(p[0], p[16]);
            Assert.Equal(m[0], m[16]);
            Assert.Equal(v[0], v[16]);
        }
    }

    [Fact]
    public void FoldIn_ANewUserGetsTheirTasteGroup()
    {
        var data = TestData.Synthetic();
        var model = new BprTrainer(new BprOptions { Factors = 8, Epochs = 30, Optimizer = ImplicitOptimizer.Hogwild, Threads = 1, LearningRate = 0.05, L2 = 0.01, InitStd = 0.1 }).Fit(data);
        // A newcomer who liked six even items: the top of their list should be mostly even items.
        int[] history = [0, 2, 4, 6, 8, 10];
        var vector = BprTrainer.FoldIn(model, history, seed: 1);
        var scores = new float[model.ItemCount];
        model.ScoreVector(vector, scores);
        foreach (var i in history)
        {
            scores[i] = float.NegativeInfinity;
        }

        var top = new int[10];
        TopK.Select(scores, 10, top);
        Assert.True(top.Count(i => i % 2 == 0) >= 8, $"top 10 of the folded-in user: {string.Join(",", top)}");
    }

    [Fact]
    public void LatestSmall_BeatsPopularityOnNdcg()
    {
        // Implicit view: every rating is a positive; relevance in the test part is rating ≥ 4.
        var data = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var split = Splitter.PerUser(data, 0.2, 42);
        var options = new EvaluationOptions { RelevanceThreshold = 4f, ComputeAuc = false };
        var popularity = Evaluator.Evaluate(new PopularityTrainer().Fit(split.Train), split.Train, split.Test, options)["NDCG@10"];
        var bpr = Evaluator.Evaluate(
            new BprTrainer(new BprOptions { Optimizer = ImplicitOptimizer.Hogwild, Epochs = 30, LearningRate = 0.03, L2 = 0.015, InitStd = 0.1, RejectPositives = true }).Fit(split.Train),
            split.Train,
            split.Test,
            options)["NDCG@10"];
        Assert.True(bpr > popularity, $"BPR NDCG@10 {bpr:F4} vs popularity {popularity:F4}");
    }
}

/// <summary>The Hogwild path under the whole contract (one thread: bit-for-bit reproducible).</summary>
public sealed class BprHogwildTests : RecommenderContractTests
{
    protected override bool UsesSeed => true;

    protected override IRecommender Fit(Interactions train, int seed) =>
        new BprTrainer(new BprOptions { Factors = 8, Epochs = 5, Optimizer = ImplicitOptimizer.Hogwild, Threads = 1, LearningRate = 0.05, Seed = seed }).Fit(train);
}
