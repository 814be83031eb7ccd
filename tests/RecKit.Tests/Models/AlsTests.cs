using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Tests.Models;

public class AlsTests : RecommenderContractTests
{
    protected override bool UsesSeed => true;

    protected override IRecommender Fit(Interactions train, int seed) =>
        new AlsTrainer(new AlsOptions { Factors = 8, Iterations = 5, Seed = seed, Regularization = 1 }).Fit(train);

    /// <summary>Naive Gaussian elimination with partial pivoting, in double: the reference for both solvers.</summary>
    private static double[] Reference(float[] gram, float[] factors, int[] rows, float[] weights, int k)
    {
        var a = new double[k, k + 1];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                a[i, j] = gram[(i * k) + j];
            }
        }

        for (var n = 0; n < rows.Length; n++)
        {
            for (var i = 0; i < k; i++)
            {
                var yi = factors[(rows[n] * k) + i];
                a[i, k] += (1 + weights[n]) * yi;
                for (var j = 0; j < k; j++)
                {
                    a[i, j] += weights[n] * yi * factors[(rows[n] * k) + j];
                }
            }
        }

        for (var c = 0; c < k; c++)
        {
            var pivot = Enumerable.Range(c, k - c).MaxBy(r => Math.Abs(a[r, c]));
            for (var j = 0; j <= k; j++)
            {
                (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            }

            for (var r = 0; r < k; r++)
            {
                if (r != c)
                {
                    var f = a[r, c] / a[c, c];
                    for (var j = c; j <= k; j++)
                    {
                        a[r, j] -= f * a[c, j];
                    }
                }
            }
        }

        return Enumerable.Range(0, k).Select(i => a[i, k] / a[i, i]).ToArray();
    }

    [Theory]
    [InlineData(4, 3)]
    [InlineData(16, 40)]
    [InlineData(32, 100)]
    [InlineData(48, 120)]
    [InlineData(64, 200)]
    [InlineData(112, 250)]
    [InlineData(128, 280)]
    [InlineData(144, 290)]
    public void Solvers_AgreeWithGaussianElimination(int k, int observed)
    {
        var random = new Random(k);
        var items = 300;
        var factors = Enumerable.Range(0, items * k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var gram = WeightedGramSolver.Gram(factors, k, 0.5f);
        var rows = Enumerable.Range(0, items).OrderBy(_ => random.Next()).Take(observed).ToArray();
        var weights = rows.Select(_ => (float)(random.NextDouble() * 5)).ToArray();
        var expected = Reference(gram, factors, rows, weights, k);

        var exact = new float[k];
        Assert.True(WeightedGramSolver.Exact(gram, factors, rows, new Confidence(weights, 1f), exact, new float[(k * k) + (2 * k)], out _));
        var cg = new float[k];
        WeightedGramSolver.ConjugateGradient(gram, factors, rows, new Confidence(weights, 1f), cg, steps: 3 * k, new float[3 * k]);
        for (var i = 0; i < k; i++)
        {
            Assert.Equal(expected[i], exact[i], 1e-3);
            Assert.Equal(expected[i], cg[i], 1e-3);
        }
    }

    /// <summary>f(x) = xᵀAx − 2bᵀx computed directly in double.</summary>
    private static double ReferenceObjective(float[] gram, float[] factors, int[] rows, float[] weights, float alpha, float[] x, int k)
    {
        double f = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                f += (double)x[i] * gram[(i * k) + j] * x[j];
            }
        }

        for (var n = 0; n < rows.Length; n++)
        {
            double dot = 0;
            for (var i = 0; i < k; i++)
            {
                dot += (double)factors[(rows[n] * k) + i] * x[i];
            }

            var w = alpha * weights[n];
            f += (w * dot * dot) - (2 * (1 + w) * dot);
        }

        return f;
    }

    [Theory]
    [InlineData(4, 3, 1)]
    [InlineData(16, 40, 2)]
    [InlineData(48, 120, 3)]
    [InlineData(64, 200, 3)]
    [InlineData(128, 280, 3)]
    [InlineData(144, 290, 3)]
    public void Solvers_ReturnTheObjectiveAtTheirSolution(int k, int observed, int steps)
    {
        var random = new Random(k + 1);
        var items = 300;
        var factors = Enumerable.Range(0, items * k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var gram = WeightedGramSolver.Gram(factors, k, 0.5f);
        var rows = Enumerable.Range(0, items).OrderBy(_ => random.Next()).Take(observed).ToArray();
        var weights = rows.Select(_ => (float)(random.NextDouble() * 5)).ToArray();
        var alpha = 2f;

        // CG from a warm start that is not the solution, stopped early: the tracked objective must still be exact.
        var cg = Enumerable.Range(0, k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var start = ReferenceObjective(gram, factors, rows, weights, alpha, cg, k);
        var tracked = WeightedGramSolver.ConjugateGradient(gram, factors, rows, new Confidence(weights, alpha), cg, steps, new float[3 * k]);
        var direct = ReferenceObjective(gram, factors, rows, weights, alpha, cg, k);
        Assert.Equal(direct, tracked, Math.Max(1e-6, Math.Abs(direct) * 1e-4));
        Assert.True(tracked < start, $"CG raised the objective: {start} -> {tracked}");

        var exact = new float[k];
        Assert.True(WeightedGramSolver.Exact(gram, factors, rows, new Confidence(weights, alpha), exact, new float[(k * k) + (2 * k)], out var exactObjective));
        var exactDirect = ReferenceObjective(gram, factors, rows, weights, alpha, exact, k);
        Assert.Equal(exactDirect, exactObjective, Math.Max(1e-6, Math.Abs(exactDirect) * 1e-4));
        Assert.True(exactObjective <= tracked + 1e-6, "the exact solution must not be worse than a few CG steps");
    }

    [Theory]
    [InlineData(AlsSolver.ConjugateGradient)]
    [InlineData(AlsSolver.Cholesky)]
    public void ReportedLoss_IsTheFullObjective_AndNeverRises(AlsSolver solver)
    {
        var data = TestData.Synthetic();
        var options = new AlsOptions { Factors = 6, Iterations = 6, Regularization = 0.5, Alpha = 2, Solver = solver };
        var losses = new List<double>();
        var models = new List<LatentFactorModel>();
        new AlsTrainer(options).Fit(data, new RecKit.Models.TrainingContext
        {
            OnEpochEnd = e =>
            {
                losses.Add(e.Loss);
                models.Add((LatentFactorModel)e.Model);
                return RecKit.Models.EpochDecision.Continue;
            },
        });

        for (var i = 1; i < losses.Count; i++)
        {
            Assert.True(losses[i] <= losses[i - 1] * (1 + 1e-6), $"loss rose at iteration {i + 1}: {losses[i - 1]} -> {losses[i]}");
        }

        // The loss is measured after the user half-sweep of the last iteration, before its item half-sweep: recompute
        // it densely from the final user factors and the item factors of the iteration before.
        var last = models[^1];
        var previousItems = models[^2].AllItemFactors;
        var byUser = data.ByUser;
        double loss = 0;
        for (var u = 0; u < data.UserCount; u++)
        {
            var x = last.UserFactors(u);
            for (var i = 0; i < data.ItemCount; i++)
            {
                var dot = System.Numerics.Tensors.TensorPrimitives.Dot(x, previousItems.Slice(i * options.Factors, options.Factors));
                var observed = byUser.Contains(u, i);
                var confidence = observed ? 1 + options.Alpha : 1;
                var preference = observed ? 1 : 0;
                loss += confidence * (preference - dot) * (preference - dot);
            }
        }

        loss += options.Regularization * (System.Numerics.Tensors.TensorPrimitives.SumOfSquares(last.AllUserFactors) + System.Numerics.Tensors.TensorPrimitives.SumOfSquares(previousItems));
        Assert.Equal(loss / data.Count, losses[^1], 1e-3);
    }

    [Fact]
    public void Gram_IsYTransposeYPlusLambda()
    {
        float[] y = [1, 2, 3, 4, 5, 6]; // 3 rows × 2
        var gram = WeightedGramSolver.Gram(y, 2, 0.5f);
        Assert.Equal([1 + 9 + 25 + 0.5f, 2 + 12 + 30, 2 + 12 + 30, 4 + 16 + 36 + 0.5f], gram);
    }

    [Fact]
    public void FoldIn_OfAnExistingUsersHistory_ReproducesTheirVector()
    {
        var data = TestData.Synthetic();
        var trainer = new AlsTrainer(new AlsOptions { Factors = 8, Iterations = 8, Regularization = 1, Solver = AlsSolver.Cholesky });
        var model = trainer.Fit(data);
        var user = 4;
        // The last half-sweep solved items, so the user's exact solution against the final items differs a little.
        var folded = trainer.FoldIn(model, data.ByUser.RowColumns(user), data.ByUser.RowValues(user));
        var trained = model.UserFactors(user).ToArray();
        var cosine = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(folded, trained);
        Assert.True(cosine > 0.95, $"cosine {cosine:F3}");
    }

    [Fact]
    public void FoldIn_ReusedForManyUsers_MatchesOneOffFoldIns_AndRejectsUnknownItems()
    {
        var data = TestData.Synthetic();
        var options = new AlsOptions { Factors = 8, Iterations = 4, Regularization = 1, UseValues = true };
        var trainer = new AlsTrainer(options);
        var model = trainer.Fit(data);
        var foldIn = new AlsFoldIn(model, options);
        for (var user = 0; user < 10; user++)
        {
            var items = data.ByUser.RowColumns(user);
            var values = data.ByUser.RowValues(user);
            Assert.Equal(trainer.FoldIn(model, items, values), foldIn.Solve(items, values));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => foldIn.Solve([0, data.ItemCount]));
        Assert.Throws<ArgumentException>(() => foldIn.Solve([0, 1], [1f]));
    }

    [Fact]
    public void ThreadCount_DoesNotChangeTheModel()
    {
        var data = TestData.Synthetic();
        var one = new AlsTrainer(new AlsOptions { Factors = 8, Iterations = 3, Threads = 1 }).Fit(data);
        var two = new AlsTrainer(new AlsOptions { Factors = 8, Iterations = 3, Threads = 2 }).Fit(data);
        Assert.Equal(one.AllItemFactors.ToArray(), two.AllItemFactors.ToArray());
    }

    [Fact]
    public void LatestSmall_BeatsPopularityOnNdcg()
    {
        var data = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var split = Splitter.PerUser(data, 0.2, 42);
        var options = new EvaluationOptions { RelevanceThreshold = 4f, ComputeAuc = false };
        var popularity = Evaluator.Evaluate(new PopularityTrainer().Fit(split.Train), split.Train, split.Test, options)["NDCG@10"];
        var als = Evaluator.Evaluate(new AlsTrainer().Fit(split.Train), split.Train, split.Test, options)["NDCG@10"];
        Assert.True(als > popularity, $"ALS NDCG@10 {als:F4} vs popularity {popularity:F4}");
    }
}
