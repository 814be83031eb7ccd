using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models;

/// <summary>
/// What every <see cref="INewItemScorer"/> promises: items added after training, scored from their features alone, get
/// the score the model gives an item of its training catalogue with the same features (and, for a model that also learns
/// from interactions, none): the model's own scoring is the reference. Rows must use the model's item feature columns.
/// </summary>
public abstract class NewItemScorerContract
{
    /// <summary>A fitted model, its new-item scorer, and the catalogue items whose features, put anew, must score as they do.</summary>
    protected abstract (IRecommender Model, INewItemScorer Scorer, int[] Comparable) Fit(Interactions data, CsrMatrix features);

    [Fact]
    public void AStoredUser_GetsForANewItem_TheScoreOfTheSameFeaturesInTheCatalogue()
    {
        var data = TestData.Synthetic();
        var features = ContentModelTests.Features(data.ItemCount);
        var (model, scorer, comparable) = Fit(data, features);
        Assert.NotEmpty(comparable);
        var fresh = Rows(features, comparable);
        var (all, added) = (new float[data.ItemCount], new float[comparable.Length]);
        for (var u = 0; u < data.UserCount; u += 3)
        {
            model.ScoreAll(u, all);
            Assert.True(scorer.ScoreNewItems(u, [], fresh, added));
            for (var j = 0; j < comparable.Length; j++)
            {
                Assert.Equal(all[comparable[j]], added[j], 4);
            }
        }
    }

    [Fact]
    public void Rows_MustUseTheModelsItemFeatureColumns()
    {
        var data = TestData.Synthetic();
        var features = ContentModelTests.Features(data.ItemCount);
        var (_, scorer, _) = Fit(data, features);
        Assert.Equal(features.ColumnCount, scorer.ItemFeatureCount);
        var wider = new CsrMatrix(1, features.ColumnCount + 1, [0, 1], [features.ColumnCount], [1f]);
        Assert.Throws<ArgumentException>(() => scorer.ScoreNewItems(0, [], wider, new float[1]));
    }

    /// <summary>The given rows of <paramref name="features"/> as a matrix of their own (the "new" items).</summary>
    internal static CsrMatrix Rows(CsrMatrix features, params int[] rows)
    {
        var (r, c, v) = (new List<int>(), new List<int>(), new List<float>());
        for (var j = 0; j < rows.Length; j++)
        {
            var columns = features.RowColumns(rows[j]);
            var values = features.RowValues(rows[j]);
            for (var k = 0; k < columns.Length; k++)
            {
                r.Add(j);
                c.Add(columns[k]);
                v.Add(values[k]);
            }
        }

        return CsrMatrix.FromCoordinates(rows.Length, features.ColumnCount, [.. r], [.. c], [.. v]);
    }
}

public sealed class ContentNewItemScorerTests : NewItemScorerContract
{
    protected override (IRecommender Model, INewItemScorer Scorer, int[] Comparable) Fit(Interactions data, CsrMatrix features)
    {
        var model = new ContentTrainer(features).Fit(data);
        return (model, model.NewItems(FeatureWeighting.None), [.. Enumerable.Range(0, data.ItemCount)]); // every item: the cosine knows no interactions
    }

    [Theory]
    [InlineData(FeatureWeighting.None)]
    [InlineData(FeatureWeighting.TfIdf)]
    public void Content_ScoresANewItemAsTheSameItemInTheCatalogue_ForStoredUsersAndHistories(FeatureWeighting weighting)
    {
        var data = TestData.Synthetic();
        var features = ContentModelTests.Features(data.ItemCount);
        var model = new ContentTrainer(features, new ContentOptions { Weighting = weighting }).Fit(data);
        var scorer = model.NewItems(weighting);
        Assert.Equal(features.ColumnCount, scorer.ItemFeatureCount);
        var items = Enumerable.Range(0, data.ItemCount).ToArray();
        var fresh = NewItemScorerContract.Rows(features, items);
        var (all, added) = (new float[data.ItemCount], new float[data.ItemCount]);
        for (var u = 0; u < data.UserCount; u += 5)
        {
            model.ScoreAll(u, all);
            Assert.True(scorer.ScoreNewItems(u, [], fresh, added));
            Assert.Equal(all, added, (a, b) => Math.Abs(a - b) < 1e-5);
        }

        int[] history = [1, 4, 9];
        model.ScoreHistory(history, all);
        Assert.True(scorer.ScoreNewItems(-1, history, fresh, added));
        Assert.Equal(all, added, (a, b) => Math.Abs(a - b) < 1e-5);
    }
}

public sealed class TwoTowerNewItemScorerTests : NewItemScorerContract
{
    protected override (IRecommender Model, INewItemScorer Scorer, int[] Comparable) Fit(Interactions data, CsrMatrix features)
    {
        // Synthetic: items 58 and 59 have no interactions, the items a new one is like.
        var towers = new TwoTowerTrainer(null, features, new TwoTowerOptions { Seed = 3, Epochs = 10, Factors = 8, ContentChannel = false }).Fit(data);
        return (towers, towers.NewItems(normalizeFeatures: true), [58, 59]);
    }

    [Fact]
    public void TwoTower_ScoresANewItemAsAnItemWithoutInteractions_AndItsChannelOrdersNewItemsByTaste()
    {
        // Synthetic: items 58 and 59 have no interactions; even users like even items (features say which is which).
        var data = TestData.Synthetic();
        var features = ContentModelTests.Features(data.ItemCount);
        var towers = new TwoTowerTrainer(null, features, new TwoTowerOptions { Seed = 3, Epochs = 10, Factors = 8, ContentChannel = false }).Fit(data);
        var fresh = NewItemScorerContract.Rows(features, 58, 59);
        var all = new float[data.ItemCount];
        var added = new float[2];
        var scorer = towers.NewItems(normalizeFeatures: true);
        for (var u = 0; u < 39; u++)
        {
            towers.ScoreAll(u, all);
            Assert.True(scorer.ScoreNewItems(u, [], fresh, added));
            Assert.Equal(all[58], added[0], 4);
            Assert.Equal(all[59], added[1], 4);
        }

        Assert.False(scorer.ScoreNewItems(-1, [3], fresh, added)); // the towers serve the users they embedded

        // With the content channel at weight 1, new items are ordered by the cosine with the user's profile, as cold ones are.
        var model = towers.WithChannel(ContentChannel.Build(1f, data.ByUser, features, data.CountPerItem(), liked: 4f));
        var blended = model.NewItems(normalizeFeatures: true);
        var even = NewItemScorerContract.Rows(features, 10, 11); // an even-taste and an odd-taste item, added anew
        for (var u = 0; u < 39; u++)
        {
            Assert.True(blended.ScoreNewItems(u, [], even, added));
            var preferred = u % 2 == 0 ? 0 : 1;
            Assert.True(added[preferred] > added[preferred ^ 1], $"user {u}: the new item of their taste is not first ({added[0]}, {added[1]})");
        }
    }
}
