using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models;

/// <summary>Sequential item-kNN: the recommender contract (save and load included), its pairs against a plain reference, the window and time order, and its refusals.</summary>
public sealed class SequenceKnnTests : RecommenderContractTests
{
    protected override IRecommender Fit(Interactions train, int seed) => Trainer(window: 3, keep: 20).Fit(TestData.WithTimestamps(train));

    private static SequenceKnnTrainer Trainer(int window, int keep, int threads = 1) => new(new SequenceKnnOptions { Window = window, Neighbours = keep, Threads = threads });

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 20)]
    [InlineData(50, 8)]
    public void Neighbours_AreThePairWeightsOfAPlainReference_CutToTheBest(int window, int keep)
    {
        var data = TestData.WithTimestamps(Synthetic());
        var model = Trainer(window, keep, threads: 2).Fit(data);
        var expected = Reference(data, window, keep);
        var neighbours = model.Neighbours;
        for (var i = 0; i < data.ItemCount; i++)
        {
            Assert.Equal(expected[i].Select(e => e.Item), neighbours.RowColumns(i).ToArray());
            Assert.Equal(expected[i].Select(e => e.Similarity), neighbours.RowValues(i).ToArray());
        }
    }

    [Fact]
    public void OnlyInteractionsWithinTheWindow_InTimeOrder_ArePaired()
    {
        // One user took items 0, 1, 2, 3 in that order of time; the file lists them 3, 0, 2, 1. Another took 0 then 3.
        var users = IdMap.FromIds(["a", "b"]);
        var items = IdMap.FromIds(["i0", "i1", "i2", "i3"]);
        var data = new Interactions(users, items, [0, 0, 0, 0, 1, 1], [3, 0, 2, 1, 0, 3], [1, 1, 1, 1, 1, 1], [40, 10, 30, 20, 5, 6], ValueMeaning.Counts);
        var model = Trainer(window: 1, keep: 10).Fit(data);
        Assert.Equal([1, 3], model.Neighbours.RowColumns(0).ToArray());
        Assert.Equal([0, 2], model.Neighbours.RowColumns(1).ToArray());
        Assert.Equal([1, 3], model.Neighbours.RowColumns(2).ToArray());

        // Item 0 (2 interactions) with item 1 (1): one pair a place apart, 1 / √(2 · 1).
        Assert.Equal(1 / MathF.Sqrt(2), model.Neighbours.RowValues(0)[0], 1e-6f);

        // Two places apart counts half, within a window of two.
        var wider = Trainer(window: 2, keep: 10).Fit(data);
        Assert.Equal([1, 2, 3], wider.Neighbours.RowColumns(0).ToArray());
        Assert.Equal(0.5f / MathF.Sqrt(2), wider.Neighbours.RowValues(0)[1], 1e-6f);
    }

    [Fact]
    public void RanksOnly_ItPredictsNoRatings()
    {
        var model = Trainer(window: 3, keep: 20).Fit(TestData.WithTimestamps(Synthetic()));
        Assert.False(model.PredictsRatings);
    }

    [Fact]
    public void InteractionsWithoutTimestamps_AreRefusedNamingTheModelAndTheRemedy()
    {
        var ex = Assert.Throws<ArgumentException>(() => Trainer(window: 3, keep: 20).Fit(Synthetic()));
        Assert.Contains("'seqknn'", ex.Message);
        Assert.Contains("timestamp column", ex.Message);
    }

    [Theory]
    [InlineData(0, 10, "window")]
    [InlineData(5, 0, "neighbours")]
    public void OptionsBelowOne_AreRefusedNamingTheOption(int window, int keep, string option)
    {
        var ex = Assert.Throws<ArgumentException>(() => Trainer(window, keep));
        Assert.Contains(option, ex.Message);
    }

    /// <summary>
    /// Per item, every interaction of it in each user's time-ordered history, and 1/d for each other item d places away
    /// within the window (summed in float in that order, as the trainer does, so that ties at the cut fall alike), over
    /// √(n_i n_j); the best <paramref name="keep"/> (ties to the lower item), columns ascending.
    /// </summary>
    private static List<(int Item, float Similarity)>[] Reference(Interactions data, int window, int keep)
    {
        var n = data.ItemCount;
        var counts = data.CountPerItem();
        var timestamps = data.Timestamps.ToArray();
        var users = data.Users.ToArray();
        var items = data.Items.ToArray();
        var sequences = users.Distinct().Order()
            .Select(user => Enumerable.Range(0, users.Length).Where(p => users[p] == user).OrderBy(p => timestamps[p]).ThenBy(p => p).Select(p => items[p]).ToArray())
            .ToList();
        var rows = new List<(int, float)>[n];
        for (var i = 0; i < n; i++)
        {
            var weights = new float[n];
            foreach (var sequence in sequences)
            {
                for (var p = 0; p < sequence.Length; p++)
                {
                    if (sequence[p] != i)
                    {
                        continue;
                    }

                    for (var q = Math.Max(0, p - window); q <= Math.Min(sequence.Length - 1, p + window); q++)
                    {
                        if (sequence[q] != i)
                        {
                            weights[sequence[q]] += 1f / Math.Abs(q - p);
                        }
                    }
                }
            }

            rows[i] = Enumerable.Range(0, n)
                .Where(j => weights[j] > 0)
                .Select(j => (Item: j, Similarity: (float)(weights[j] / Math.Sqrt((double)counts[i] * counts[j]))))
                .OrderByDescending(e => e.Similarity).ThenBy(e => e.Item)
                .Take(keep)
                .OrderBy(e => e.Item)
                .ToList();
        }

        return rows;
    }
}
