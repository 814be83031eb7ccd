using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

public sealed class CandidateSourceFlagsTests
{
    [Fact]
    public void EachCandidatesSources_AreTheSourcesWhoseOwnTopNHoldIt()
    {
        var data = TestData.Synthetic();
        var sources = new List<(string Name, IRecommender Model, int Size)>
        {
            ("itemknn", new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 10 }).Fit(data), 12),
            ("als", new AlsTrainer(new AlsOptions { Factors = 8, Iterations = 3, Threads = 1 }).Fit(data), 12),
            ("popularity", new PopularityTrainer().Fit(data), 6),
        };
        var generator = new CandidateGenerator(sources);
        var buffer = new float[data.ItemCount];
        var mixed = 0;
        for (var u = 0; u < data.UserCount; u++)
        {
            var candidates = generator.For(u, data.ByUser, buffer, out var proposedBy);
            Assert.Equal(candidates, generator.For(u, data.ByUser, buffer));
            var alone = sources.Select(s => new CandidateGenerator([s]).For(u, data.ByUser, buffer)).ToArray();
            Assert.Equal(candidates, alone.SelectMany(a => a).Distinct().Order().ToArray());
            for (var j = 0; j < candidates.Length; j++)
            {
                for (var s = 0; s < sources.Count; s++)
                {
                    Assert.Equal(alone[s].Contains(candidates[j]), (proposedBy[j] >> s & 1) == 1);
                }

                mixed += proposedBy[j] is not (0b001 or 0b010 or 0b100) ? 1 : 0;
            }
        }

        Assert.True(mixed > 0, "no candidate was proposed by two sources: the data does not test merging");
    }

    [Fact]
    public void MetaFeatures_FlagTheSources_BeforeTheTimeColumns_OnlyForTwoSourcesOrMore()
    {
        var data = TestData.WithTimestamps(TestData.Build(3, 4, (0, 2, 5), (1, 1, 4), (0, 0, 4), (1, 0, 3)));
        var popularity = new PopularityTrainer().Fit(data);
        var flagged = new MetaFeatures([("pop", popularity)], data, sources: ["als", "popularity"]);
        Assert.Equal(["score_pop", "user_n_ratings", "user_mean_rating", "item_n_ratings", "item_mean_rating", "z_pop", "rank_pop", "from_als", "from_popularity", "time_item_age", "time_middle_gap"], flagged.Names);
        Assert.True(flagged.FlagsSources);
        Assert.Equal(["als", "popularity"], CandidateSourceFlags.In(flagged.Names));
        Assert.True(TimeStatistics.In(flagged.Names));

        var rows = new float[3 * flagged.Count];
        flagged.Build(0, [1, 2, 3], rows, [0b01, 0b11, 0b10]);
        var at = flagged.Names.ToList().IndexOf("from_als");
        float[][] flags = [.. Enumerable.Range(0, 3).Select(j => rows.AsSpan((j * flagged.Count) + at, 2).ToArray())];
        Assert.Equal([[1f, 0f], [1f, 1f], [0f, 1f]], flags);
        Assert.Contains("source masks", Assert.Throws<ArgumentException>(() => flagged.Build(0, [1, 2], new float[2 * flagged.Count])).Message, StringComparison.Ordinal);

        var single = new MetaFeatures([("pop", popularity)], data, sources: ["als"]);
        Assert.False(single.FlagsSources);
        Assert.Empty(CandidateSourceFlags.In(single.Names));
        Assert.Throws<ArgumentException>(() => new MetaFeatures([("pop", popularity)], data, sources: [.. Enumerable.Range(0, 33).Select(s => $"s{s}")]));
    }
}
