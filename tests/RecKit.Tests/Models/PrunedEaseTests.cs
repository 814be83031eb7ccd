using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models;

/// <summary>EASE keeping each item's 12 largest weights of 60: the recommender contract (save and load included), and the scores of the cut rows.</summary>
public sealed class PrunedEaseTests : RecommenderContractTests
{
    private const int Keep = 12;

    protected override IRecommender Fit(Interactions train, int seed) => Trainer(Keep).Fit(train);

    private static EaseTrainer Trainer(int? keep) => new(new EaseOptions { Regularization = 10, KeepPerItem = keep, Threads = 1 });

    [Fact]
    public void Pruned_ScoresAsTheDenseRowsCutToTheirLargestWeights()
    {
        var data = Synthetic();
        var dense = Trainer(null).Fit(data);
        var pruned = Trainer(Keep).Fit(data);
        var n = data.ItemCount;
        Assert.Equal(Keep, pruned.WeightsPerItem);
        Assert.Equal(n, dense.WeightsPerItem);

        // The reference: each dense row (the scores of a one-item history), all but its Keep largest in magnitude zeroed.
        var rows = new float[n][];
        for (var i = 0; i < n; i++)
        {
            rows[i] = new float[n];
            dense.ScoreHistory([i], rows[i]);
            var cut = rows[i].Select(Math.Abs).OrderByDescending(w => w).ElementAt(Keep - 1);
            for (var j = 0; j < n; j++)
            {
                rows[i][j] = Math.Abs(rows[i][j]) >= cut ? rows[i][j] : 0f;
            }
        }

        var byUser = data.ByUser;
        var actual = new float[n];
        var some = new float[3];
        for (var u = 0; u < data.UserCount; u++)
        {
            var history = byUser.RowColumns(u);
            if (history.IsEmpty)
            {
                continue;
            }

            var expected = new float[n];
            foreach (var i in history)
            {
                for (var j = 0; j < n; j++)
                {
                    expected[j] += rows[i][j];
                }
            }

            pruned.ScoreAll(u, actual);
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(expected[j], actual[j], 1e-5f);
            }

            pruned.Score(u, [0, n / 2, n - 1], some);
            Assert.Equal([expected[0], expected[n / 2], expected[n - 1]], some, (a, b) => Math.Abs(a - b) < 1e-5f);
        }

        // Pruning changes the scores (a test that would pass on the dense matrix proves nothing).
        dense.ScoreAll(0, actual);
        var full = (float[])actual.Clone();
        pruned.ScoreAll(0, actual);
        Assert.NotEqual(full, actual);
    }

    [Fact]
    public void SimilarItems_ComeFromTheKeptWeightsOnly()
    {
        var pruned = Trainer(Keep).Fit(Synthetic());
        var (items, similarities) = pruned.SimilarItems(3, 50);
        Assert.Equal(Keep, items.Length);
        Assert.DoesNotContain(3, items);
        Assert.True(similarities.Zip(similarities.Skip(1)).All(p => p.First >= p.Second));
    }

    [Fact]
    public void KeepPerItem_BelowOne_IsRefusedNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => Trainer(0));
        Assert.Contains("keepPerItem", ex.Message);
    }

    [Fact]
    public void KeepingEveryWeight_IsTheDenseModel()
    {
        var data = Synthetic();
        var model = Trainer(data.ItemCount).Fit(data);
        Assert.Equal(data.ItemCount, model.WeightsPerItem);
    }
}
