using RecKit.Data;
using RecKit.Models;
using RecKit.Persistence;

namespace RecKit.Tests.Models;

public class ContentChannelTests
{
    [Fact]
    public void Channel_ReordersOnlyItemsWithoutInteractions_AndSurvivesTheModelFile()
    {
        // Synthetic: items 58 and 59 have no interactions; even users like even items (features say which is which).
        var data = TestData.Synthetic();
        var features = ContentModelTests.Features(data.ItemCount);
        var plain = new TwoTowerTrainer(null, features, new TwoTowerOptions { Seed = 3, Epochs = 10, Factors = 8, ContentChannel = false }).Fit(data);
        var channel = ContentChannel.Build(1f, data.ByUser, features, data.CountPerItem(), liked: 4f);
        var model = plain.WithChannel(channel);
        Assert.Equal([58, 59], channel.ColdItems.ToArray());
        Assert.False(model.TryGetUserVector(0, new float[8], out _)); // the blocked kernel would miss the channel

        var (before, after) = (new float[data.ItemCount], new float[data.ItemCount]);
        for (var u = 0; u < 39; u++)
        {
            plain.ScoreAll(u, before);
            model.ScoreAll(u, after);
            for (var i = 0; i < 58; i++)
            {
                Assert.Equal(before[i], after[i]); // warm items: the towers alone
            }

            // The cold items keep their mean score; the one of the user's taste moves up.
            Assert.Equal((before[58] + before[59]) / 2, (after[58] + after[59]) / 2, 4);
            // At weight 1 the new items' order is the cosine's: the one of the user's taste group first.
            var preferred = u % 2 == 0 ? 58 : 59;
            Assert.True(after[preferred] > after[preferred ^ 1], $"user {u}: item {preferred} is not above item {preferred ^ 1}");
            var scores = new float[2];
            model.Score(u, [58, 59], scores);
            Assert.Equal(after[58], scores[0], 4);
            Assert.Equal(after[59], scores[1], 4);
        }

        var path = Path.Combine(Path.GetTempPath(), $"tt-{Guid.NewGuid():N}.model");
        try
        {
            ModelFile.Save(path, model, data.UserMap, data.ItemMap);
            var loaded = (TwoTowerModel)ModelFile.Load(path).Model;
            Assert.Equal(1f, loaded.ContentWeight);
            var again = new float[data.ItemCount];
            for (var u = 0; u < 39; u += 7)
            {
                model.ScoreAll(u, after);
                loaded.ScoreAll(u, again);
                Assert.Equal(after, again);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Trainer_ChoosesTheWeight_OnHeldOutItems_AndCanLeaveItOff()
    {
        var data = TestData.Synthetic();
        var features = ContentModelTests.Features(data.ItemCount);
        var tuning = new TwoTowerOptions { Seed = 3, Epochs = 10, Factors = 8, RelevanceThreshold = 4f, TuneContentWeight = true };
        var tuned = new TwoTowerTrainer(null, features, tuning, RecKit.Evaluation.EvaluatorJudge.Instance).Fit(data);
        var noJudge = Assert.Throws<ArgumentException>(() => new TwoTowerTrainer(null, features, tuning).Fit(data));
        Assert.Contains("tuneContentWeight", noJudge.Message, StringComparison.Ordinal);
        Assert.Contains(tuned.ContentWeight, TwoTowerTrainer.ChannelWeights);
        var fixedWeight = new TwoTowerTrainer(null, features, new TwoTowerOptions { Seed = 3, Epochs = 10, Factors = 8, ContentWeight = 0.3 }).Fit(data);
        Assert.Equal(0.3f, fixedWeight.ContentWeight);
        var off = new TwoTowerTrainer(null, features, new TwoTowerOptions { Seed = 3, Epochs = 10, Factors = 8, ContentChannel = false }).Fit(data);
        Assert.Equal(0f, off.ContentWeight);
    }
}
