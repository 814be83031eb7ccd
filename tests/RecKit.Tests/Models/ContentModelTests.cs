using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models;

public class ContentModelTests : RecommenderContractTests
{
    /// <summary>Item i has feature i % 2 (the synthetic data's taste groups) and, for i % 3 == 0, feature 2.</summary>
    internal static CsrMatrix Features(int items)
    {
        var rows = new List<int>();
        var cols = new List<int>();
        for (var i = 0; i < items; i++)
        {
            rows.Add(i);
            cols.Add(i % 2);
            if (i % 3 == 0)
            {
                rows.Add(i);
                cols.Add(2);
            }
        }

        return CsrMatrix.FromCoordinates(items, 3, rows.ToArray(), cols.ToArray(), Enumerable.Repeat(1f, rows.Count).ToArray());
    }

    protected override IRecommender Fit(Interactions train, int seed) => new ContentTrainer(Features(train.ItemCount)).Fit(train);

    [Fact]
    public void Profile_IsNormalisedMeanOfLikedItems_AndScoresAreCosines()
    {
        // Features: item0 = {f0}, item1 = {f1}, item2 = {f0, f1} (normalised: 1/√2 each), item3 = {} .
        var features = CsrMatrix.FromCoordinates(4, 2, [0, 1, 2, 2], [0, 1, 0, 1], [1, 1, 1, 1]);
        var data = TestData.Build(2, 4, (0, 0, 5), (0, 2, 4), (0, 1, 2), (1, 1, 1));
        var model = new ContentTrainer(features).Fit(data);
        // User 0 liked items 0 and 2: sum = (1 + 1/√2, 1/√2); normalised.
        var a = 1 + (1 / Math.Sqrt(2));
        var b = 1 / Math.Sqrt(2);
        var norm = Math.Sqrt((a * a) + (b * b));
        Assert.Equal(a / norm, model.Profile(0)[0], 5);
        Assert.Equal(b / norm, model.Profile(0)[1], 5);
        var scores = new float[4];
        model.ScoreAll(0, scores);
        Assert.Equal(a / norm, scores[0], 5);
        Assert.Equal(b / norm, scores[1], 5);
        Assert.Equal(((a / norm) + (b / norm)) / Math.Sqrt(2), scores[2], 5);
        Assert.Equal(0, scores[3]);
        // User 1 liked nothing: the profile is what they rated (item 1).
        Assert.Equal([0f, 1f], model.Profile(1).ToArray());
    }

    [Fact]
    public void TfIdf_DownweightsCommonFeatures()
    {
        // Feature 0 on all three items, feature 1 on one: idf(0) = ln 2, idf(1) = ln 4.
        var counts = CsrMatrix.FromCoordinates(3, 2, [0, 1, 2, 0], [0, 0, 0, 1], [1, 1, 1, 1]);
        var weighted = ContentTrainer.TfIdf(counts);
        Assert.Equal(MathF.Log(2), weighted.Get(1, 0), 5);
        Assert.Equal(MathF.Log(4), weighted.Get(0, 1), 5);
    }

    [Fact]
    public void NewItemWithFeatures_IsScoredWithoutAnyInteraction()
    {
        var data = TestData.Synthetic();
        var model = (ContentModel)Fit(data, 1);
        var scores = new float[model.ItemCount];
        model.ScoreAll(0, scores); // user 0 likes even items; item 58 is even and never rated
        Assert.True(scores[58] > scores[59]);
    }
}
