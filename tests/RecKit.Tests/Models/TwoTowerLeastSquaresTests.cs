using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Kernels;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Tests.Models;

/// <summary>The two-tower's ALS solver: its kernels against plain references, and its figures on real data.</summary>
public class TwoTowerLeastSquaresTests
{
    [Fact]
    public void FeatureEmbeddings_AreTheRidgeRegressionOfTheWarmOutputs()
    {
        var data = TestData.Synthetic();
        var itemFeatures = ContentModelTests.Features(data.ItemCount);
        var userFeatures = UserFeatures(data.UserCount);
        var options = new TwoTowerOptions { Factors = 6, Epochs = 5, FeatureRegularization = 0.5, ContentChannel = false };
        var weights = new TwoTowerTrainer(userFeatures, itemFeatures, options).Fit(data).Weights;

        AssertRidge(RowsSummingToOne(itemFeatures), data.CountPerItem(), weights.ItemIds, weights.ItemFeatureEmbeddings, 6, 0.5);
        AssertRidge(RowsSummingToOne(userFeatures), data.CountPerUser(), weights.UserIds, weights.UserFeatureEmbeddings, 6, 0.5);
    }

    [Fact]
    public void UsersAndItemsWithoutInteractions_AreTheirFeaturesEmbedding()
    {
        var data = TestData.Synthetic(); // user 39, items 58 and 59: no interactions
        var weights = new TwoTowerTrainer(UserFeatures(data.UserCount), ContentModelTests.Features(data.ItemCount), new TwoTowerOptions { Factors = 6, Epochs = 5 }).Fit(data).Weights;
        Assert.All(weights.UserIds.AsSpan(39 * 6, 6).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(weights.ItemIds.AsSpan(58 * 6, 12).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(weights.ItemFeatureEmbeddings, v => v != 0f);
        Assert.Contains(weights.UserFeatureEmbeddings, v => v != 0f);
    }

    [Fact]
    public void PriorTerm_InBothSolvers_MatchesADenseSolve()
    {
        const int k = 5;
        var random = new Random(11);
        var factors = Enumerable.Range(0, 30 * k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var lambda = 2f;
        var gram = WeightedGramSolver.Gram(factors, k, lambda);
        int[] rows = [1, 4, 9, 17, 25];
        var confidence = new AlsOptions { Alpha = 3 }.ConfidenceOf([]);
        var extra = Enumerable.Range(0, k).Select(_ => (float)(random.NextDouble() - 0.5) * lambda).ToArray();

        // Plain reference in double: (YᵀY + λI + Σ α y yᵀ) x = Σ (1 + α) y + extra.
        var a = new double[k, k];
        var b = new double[k];
        for (var i = 0; i < k; i++)
        {
            b[i] = extra[i];
            for (var j = 0; j < k; j++)
            {
                a[i, j] = gram[(i * k) + j];
            }
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < k; i++)
            {
                b[i] += 4 * factors[(row * k) + i];
                for (var j = 0; j < k; j++)
                {
                    a[i, j] += 3.0 * factors[(row * k) + i] * factors[(row * k) + j];
                }
            }
        }

        var expected = DenseSolve(a, b);
        var exact = new float[k];
        Assert.True(WeightedGramSolver.Exact(gram, factors, rows, confidence, exact, new float[(k * k) + (2 * k)], out _, extra));
        var cg = new float[k];
        WeightedGramSolver.ConjugateGradient(gram, factors, rows, confidence, cg, 20, new float[3 * k], extra);
        for (var i = 0; i < k; i++)
        {
            Assert.Equal(expected[i], exact[i], 1e-4);
            Assert.Equal(expected[i], cg[i], 1e-4);
        }
    }

    [Fact]
    public void LatestSmall_WarmItems_LevelWithAls_ColdItems_AboveTheContentModel()
    {
        var catalogue = Catalogue.Load(new CatalogueDescription { Path = TestData.LatestSmall });
        var genres = catalogue.ItemFeatures!.Values;
        var evaluation = new EvaluationOptions { Ks = [10], RelevanceThreshold = 4f, ComputeAuc = false, Seed = 42 };

        // Warm: ALS as reckit.json sets it against the two-tower's defaults (the same least squares, plus the genres).
        var warm = Splitter.PerUser(catalogue.Data, 0.2, seed: 42);
        var als = new AlsTrainer(new AlsOptions { Factors = 64, Alpha = 3, Regularization = 30, Iterations = 15 }).Fit(warm.Train);
        var towers = new TwoTowerTrainer(null, genres, new TwoTowerOptions { RelevanceThreshold = 4f }).Fit(warm.Train);
        var alsNdcg = Evaluator.Evaluate(als, warm.Train, warm.Test, evaluation)["NDCG@10"];
        var towersNdcg = Evaluator.Evaluate(towers, warm.Train, warm.Test, evaluation)["NDCG@10"];
        Assert.True(towersNdcg >= alsNdcg - 0.01, $"two-tower NDCG@10 {towersNdcg:F4} against ALS {alsNdcg:F4}");

        // Cold: a tenth of the items held out with all their interactions, as the main job's experiment does.
        var (data, features) = ItemShuffle.Apply(catalogue.Data, genres, seed: 49);
        var (split, cold) = Splitter.HoldOut(data, items: true, 0.1, seed: 42);
        var content = new ContentTrainer(features, new ContentOptions { LikeThreshold = 4f }).Fit(split.Train);
        var coldTowers = new TwoTowerTrainer(null, features, new TwoTowerOptions { RelevanceThreshold = 4f }).Fit(split.Train);
        var contentNdcg = Evaluator.Evaluate(new ItemSubsetRecommender(content, cold), split.Train, split.Test, evaluation)["NDCG@10"];
        var coldNdcg = Evaluator.Evaluate(new ItemSubsetRecommender(coldTowers, cold), split.Train, split.Test, evaluation)["NDCG@10"];
        Assert.True(coldNdcg >= contentNdcg, $"cold items: two-tower NDCG@10 {coldNdcg:F4} against content {contentNdcg:F4}");
        Assert.True(contentNdcg > 0.05, $"content {contentNdcg:F4}: the experiment lost its signal");
    }

    /// <summary>Two user features: the taste group, and a constant column.</summary>
    private static CsrMatrix UserFeatures(int users) =>
        CsrMatrix.FromCoordinates(
            users,
            3,
            [.. Enumerable.Range(0, users).SelectMany(u => new[] { u, u })],
            [.. Enumerable.Range(0, users).SelectMany(u => new[] { u % 2, 2 })],
            [.. Enumerable.Repeat(1f, 2 * users)]);

    private static CsrMatrix RowsSummingToOne(CsrMatrix m)
    {
        var values = m.Values.ToArray();
        for (var r = 0; r < m.RowCount; r++)
        {
            var sum = 0f;
            for (var j = m.RowPointers[r]; j < m.RowPointers[r + 1]; j++)
            {
                sum += Math.Abs(values[j]);
            }

            for (var j = m.RowPointers[r]; j < m.RowPointers[r + 1]; j++)
            {
                values[j] /= sum;
            }
        }

        return m.WithValues(values);
    }

    /// <summary>F must solve (XᵀX + ρI) F = XᵀE over the rows with interactions, E = ID rows + X·F.</summary>
    private static void AssertRidge(CsrMatrix x, int[] counts, float[] ids, float[] f, int k, double ridge)
    {
        var n = x.ColumnCount;
        for (var c = 0; c < k; c++)
        {
            var a = new double[n, n];
            var b = new double[n];
            for (var i = 0; i < n; i++)
            {
                a[i, i] = ridge;
            }

            for (var r = 0; r < x.RowCount; r++)
            {
                if (counts[r] == 0)
                {
                    continue;
                }

                var columns = x.RowColumns(r);
                var values = x.RowValues(r);
                double output = ids[(r * k) + c];
                for (var j = 0; j < columns.Length; j++)
                {
                    output += values[j] * f[(columns[j] * k) + c];
                }

                for (var j = 0; j < columns.Length; j++)
                {
                    b[columns[j]] += values[j] * output;
                    for (var l = 0; l < columns.Length; l++)
                    {
                        a[columns[j], columns[l]] += values[j] * values[l];
                    }
                }
            }

            var expected = DenseSolve(a, b);
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(expected[j], f[(j * k) + c], 1e-3);
            }
        }
    }

    /// <summary>Gaussian elimination with partial pivoting.</summary>
    private static double[] DenseSolve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var p = 0; p < n; p++)
        {
            var pivot = p;
            for (var r = p + 1; r < n; r++)
            {
                pivot = Math.Abs(m[r, p]) > Math.Abs(m[pivot, p]) ? r : pivot;
            }

            for (var c = 0; c < n; c++)
            {
                (m[p, c], m[pivot, c]) = (m[pivot, c], m[p, c]);
            }

            (x[p], x[pivot]) = (x[pivot], x[p]);
            for (var r = p + 1; r < n; r++)
            {
                var factor = m[r, p] / m[p, p];
                for (var c = p; c < n; c++)
                {
                    m[r, c] -= factor * m[p, c];
                }

                x[r] -= factor * x[p];
            }
        }

        for (var r = n - 1; r >= 0; r--)
        {
            for (var c = r + 1; c < n; c++)
            {
                x[r] -= m[r, c] * x[c];
            }

            x[r] /= m[r, r];
        }

        return x;
    }
}
