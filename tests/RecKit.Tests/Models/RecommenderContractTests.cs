using RecKit.Data;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Ranking;

namespace RecKit.Tests.Models;

/// <summary>
/// The contract every model inherits: a model's test class derives from this, says how to fit the model,
/// and adds only its own quality bars.
/// </summary>
public abstract class RecommenderContractTests
{
    /// <summary>Fits the model under test with a fixed seed (and one thread where the model has threads).</summary>
    protected abstract IRecommender Fit(Interactions train, int seed);

    /// <summary>True for models whose fit draws random numbers from the seed (so another seed gives another model).</summary>
    protected virtual bool UsesSeed => false;

    /// <inheritdoc cref="TestData.Synthetic"/>
    protected static Interactions Synthetic() => TestData.Synthetic();

    /// <summary>
    /// The synthetic data with one more user, the last row of the matrix, who has interacted with the last item, the
    /// last column: an off-by-one in seen-item exclusion shows at these edges.
    /// </summary>
    protected static Interactions WithBoundaryUser()
    {
        var data = Synthetic();
        var users = IdMap.FromIds(data.UserMap.Ids.Append("boundary"));
        var last = data.UserCount;
        var lastItem = data.ItemCount - 1;
        int[] extraItems = [0, 1, 2, 3, 57, lastItem];
        return new Interactions(
            users,
            data.ItemMap,
            [.. data.Users.ToArray(), .. extraItems.Select(_ => last)],
            [.. data.Items.ToArray(), .. extraItems],
            [.. data.Values.ToArray(), .. extraItems.Select(_ => 5f)],
            null,
            data.Meaning);
    }

    [Fact]
    public void ScoreAll_GivesOneFiniteScorePerItem()
    {
        var data = Synthetic();
        var model = Fit(data, 1);
        Assert.Equal(data.UserCount, model.UserCount);
        Assert.Equal(data.ItemCount, model.ItemCount);
        var scores = new float[model.ItemCount];
        for (var u = 0; u < model.UserCount; u++)
        {
            model.ScoreAll(u, scores);
            Assert.All(scores, s => Assert.True(float.IsFinite(s), $"score {s}"));
        }
    }

    [Fact]
    public void ColdUser_IsReportedUnknown_AndStillScored()
    {
        var data = Synthetic();
        var model = Fit(data, 1);
        Assert.False(model.IsKnownUser(39));
        Assert.True(model.IsKnownUser(0));
        var scores = new float[model.ItemCount];
        model.ScoreAll(39, scores);
        Assert.All(scores, s => Assert.True(float.IsFinite(s), $"score {s}"));
    }

    [Fact]
    public void OutOfRangeUser_Throws()
    {
        var model = Fit(Synthetic(), 1);
        var scores = new float[model.ItemCount];
        Assert.ThrowsAny<ArgumentException>(() => model.ScoreAll(model.UserCount, scores));
    }

    [Fact]
    public void BatchScore_EqualsScoreAll()
    {
        var data = Synthetic();
        var model = Fit(data, 1);
        var all = new float[model.ItemCount];
        int[] items = [59, 0, 3, 3, 17, 58, 42];
        var some = new float[items.Length];
        foreach (var u in new[] { 0, 1, 20, 39 })
        {
            model.ScoreAll(u, all);
            model.Score(u, items, some);
            for (var j = 0; j < items.Length; j++)
            {
                Assert.Equal(all[items[j]], some[j], 1e-4f);
            }
        }
    }

    [Fact]
    public void SeenItems_AreNeverRecommended_UpToTheLastUserAndItem()
    {
        var data = WithBoundaryUser();
        var model = Fit(data, 1);
        var lists = Recommendations.ForUsers(model, 10, data.ByUser);
        Assert.Equal(data.UserCount, lists.Length);
        foreach (var list in lists)
        {
            Assert.Equal(10, list.Items.Length);
            Assert.All(list.Items, i => Assert.False(data.ByUser.Contains(list.User, i), $"user {list.User} was recommended seen item {i}"));
            Assert.True(list.Scores.Zip(list.Scores.Skip(1)).All(p => p.First >= p.Second), "scores must be descending");
        }

        var last = lists.Single(l => l.User == data.UserCount - 1);
        Assert.DoesNotContain(data.ItemCount - 1, last.Items);
    }

    [Fact]
    public void SameSeed_GivesSameScores()
    {
        var data = Synthetic();
        var a = Fit(data, 5);
        var b = Fit(data, 5);
        var sa = new float[a.ItemCount];
        var sb = new float[b.ItemCount];
        for (var u = 0; u < a.UserCount; u++)
        {
            a.ScoreAll(u, sa);
            b.ScoreAll(u, sb);
            Assert.Equal(sa, sb);
        }
    }

    [Fact]
    public void TheSeedReachesTheFit()
    {
        // Same-seed equality proves nothing for a model that draws nothing at random; for one that does, another
        // seed must give another model (the seed is really used, not a constant somewhere inside).
        var data = Synthetic();
        var (a, b) = (Fit(data, 5), Fit(data, 6));
        var (sa, sb) = (new float[a.ItemCount], new float[b.ItemCount]);
        var differs = false;
        for (var u = 0; u < a.UserCount && !differs; u++)
        {
            a.ScoreAll(u, sa);
            b.ScoreAll(u, sb);
            differs = !sa.AsSpan().SequenceEqual(sb);
        }

        Assert.Equal(UsesSeed, differs);
    }

    [Fact]
    public void SaveAndLoad_GiveIdenticalScores()
    {
        var data = Synthetic();
        var model = Fit(data, 1);
        var persistable = Assert.IsAssignableFrom<IPersistableModel>(model);
        var path = Path.Combine(Path.GetTempPath(), $"reckit-contract-{Guid.NewGuid():N}.model");
        try
        {
            ModelFile.Save(path, persistable, data.UserMap, data.ItemMap);
            var loaded = ModelFile.Load(path);
            Assert.Equal(model.GetType(), loaded.Model.GetType());
            Assert.Equal(data.UserMap.Ids, loaded.Users.Ids);
            var expected = new float[model.ItemCount];
            var actual = new float[model.ItemCount];
            for (var u = 0; u < model.UserCount; u++)
            {
                model.ScoreAll(u, expected);
                loaded.Model.ScoreAll(u, actual);
                Assert.Equal(expected, actual);
                Assert.Equal(model.IsKnownUser(u), loaded.Model.IsKnownUser(u));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EmptyTraining_DoesNotCrash_AndScoresEveryone()
    {
        var empty = TestData.Build(3, 5);
        var model = Fit(empty, 1);
        var scores = new float[5];
        model.ScoreAll(0, scores);
        Assert.False(model.IsKnownUser(0));
        Assert.All(scores, s => Assert.True(float.IsFinite(s), $"score {s}"));
    }
}
