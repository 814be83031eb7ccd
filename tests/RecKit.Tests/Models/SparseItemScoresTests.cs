using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Tests.Models;

/// <summary>
/// Item-kNN's sparse scores and popularity's sorted order give the same top-k (items, order, scores) as a selection over
/// the whole masked catalogue, which stays the reference.
/// </summary>
public class SparseItemScoresTests
{
    private static readonly RecKit.Data.Interactions Data = TestData.Synthetic();

    /// <summary>The reference: every score, excluded and refused items to −∞, the top-k kernel.</summary>
    private static (int[] Items, float[] Scores) DenseTop(ReadOnlySpan<float> all, int k, int[] excluded, Func<int, bool>? allow)
    {
        var scores = all.ToArray();
        foreach (var item in excluded)
        {
            scores[item] = float.NegativeInfinity;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (allow is not null && !allow(i))
            {
                scores[i] = float.NegativeInfinity;
            }
        }

        var items = new int[k];
        var values = new float[k];
        var n = TopK.Select(scores, k, items, values);
        while (n > 0 && float.IsNegativeInfinity(values[n - 1]))
        {
            n--;
        }

        return (items[..n], values[..n]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(40)]
    public void ItemKnnSparseTop_IsTheWholeCatalogueTop_OrDeclines(int k)
    {
        var model = new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 10 }).Fit(Data);
        var all = new float[model.ItemCount];
        Func<int, bool> odd = i => i % 2 == 1;
        var answered = 0;
        var declined = 0;
        for (var u = 0; u < Data.UserCount; u++)
        {
            var seen = Data.ByUser.RowColumns(u).ToArray();
            foreach (var allow in new[] { null, odd })
            {
                model.ScoreAll(u, all);
                using var sparse = model.ScoreSparse(u);
                if (sparse is null)
                {
                    Assert.False(model.IsKnownUser(u));
                    continue;
                }

                Assert.Equal(all, sparse.All.ToArray()); // the same sums in the same order: bit for bit
                var expected = DenseTop(all, k, seen, allow);
                if (sparse.Top(k, seen, allow) is { } top)
                {
                    answered++;
                    Assert.Equal(expected.Items, top.Items);
                    Assert.Equal(expected.Scores, top.Scores);

                    // Asked again (the exclusions leave the lease as it was), and with an item added since the bundle excluded.
                    var again = sparse.Top(k, [.. seen, model.ItemCount + 5], allow)!.Value;
                    Assert.Equal(expected.Items, again.Items);
                }
                else
                {
                    // Declines only when untouched items (score 0) would be in the top-k.
                    declined++;
                    Assert.True(expected.Items.Length < k || expected.Scores[^1] <= 0f, $"user {u}: declined a top-{k} that ends at {expected.Scores[^1]}");
                }
            }
        }

        if (k <= 10)
        {
            Assert.True(answered > Data.UserCount, $"{answered} answered");
        }
        else
        {
            Assert.True(declined > 0, "a top-40 of 60 items should reach untouched items for some users");
        }
    }

    [Fact]
    public void ALease_IsReturnedClean_ForTheNextHistory()
    {
        var model = new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 10 }).Fit(Data);
        var expected = new float[model.ItemCount];
        for (var u = 0; u < 20; u++)
        {
            model.ScoreHistory(Data.ByUser.RowColumns(u), expected);
            using var lease = model.ScoreHistorySparse(Data.ByUser.RowColumns(u))!;
            Assert.Equal(expected, lease.All.ToArray());
            Assert.Equal(lease.Touched.Length, expected.Count(s => s != 0f));
        }

        Assert.Null(model.ScoreHistorySparse([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1000)]
    public void PopularityTop_IsTheWholeCatalogueTop(int k)
    {
        var model = new PopularityTrainer().Fit(Data);
        var all = new float[model.ItemCount];
        model.ScoreAll(0, all);
        Func<int, bool> odd = i => i % 2 == 1;
        for (var u = 0; u < Data.UserCount; u += 7)
        {
            var seen = Data.ByUser.RowColumns(u).ToArray();
            foreach (var allow in new[] { null, odd })
            {
                var expected = DenseTop(all, Math.Min(k, all.Length), seen, allow);
                var (items, scores) = model.Top(k, seen, allow);
                Assert.Equal(expected.Items, items);
                Assert.Equal(expected.Scores, scores);
            }
        }
    }
}
