using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

public sealed class FeatureRowLayoutTests
{
    [Theory]
    [InlineData(false, false, 0)]
    [InlineData(true, false, 0)]
    [InlineData(true, true, 0)]
    [InlineData(true, true, 2)]
    [InlineData(false, true, 3)]
    [InlineData(true, false, 3)]
    public void EachBlock_StartsWhereTheNamesSayIt_AndTheWidthIsTheNameCount(bool perUser, bool timestamps, int sources)
    {
        var plain = TestData.Build(3, 4, (0, 2, 5), (1, 1, 4), (0, 0, 4), (1, 0, 3), (2, 3, 2));
        var data = timestamps ? TestData.WithTimestamps(plain) : plain;
        var popularity = new PopularityTrainer().Fit(data);
        var features = new MetaFeatures([("pop", popularity), ("again", popularity)], data, perUser, sources: [.. Enumerable.Range(0, sources).Select(s => $"s{s}")]);
        var layout = features.Layout;
        var names = features.Names;

        Assert.Equal(names.Count, layout.Width);
        Assert.Equal(["score_pop", "score_again"], names.Take(layout.StatisticsAt));
        Assert.Equal("user_n_ratings", names[layout.StatisticsAt]);
        Assert.Equal(perUser ? ["z_pop", "z_again", "rank_pop", "rank_again"] : [], names.Skip(layout.PerUserAt).Take(layout.FlagsAt - layout.PerUserAt));
        Assert.Equal(sources >= 2 ? [.. Enumerable.Range(0, sources).Select(s => $"from_s{s}")] : [], names.Skip(layout.FlagsAt).Take(layout.TimeAt - layout.FlagsAt));
        Assert.Equal(timestamps ? TimeStatistics.Names : [], names.Skip(layout.TimeAt));
    }
}
