using RecKit.Data.Demo;

namespace RecKit.Tests.Data;

/// <summary>
/// The generators' true weights (what <c>bench oracle</c> ranks by) must be the weights the plays were drawn with: a
/// user's played items outrank the items they did not play (AUC well above chance), and the items no one may play
/// weigh 0 and appear in no play.
/// </summary>
public sealed class GeneratedTruthTests
{
    [Fact]
    public void MusicDemo_TrueWeights_RankEachUsersPlayedSongsAboveTheRest()
    {
        var (_, _, plays) = MusicDemo.Generate(seed: 5, userCount: 300, itemCount: 240);
        AssertWeightsExplainPlays(plays, MusicDemo.TrueWeights(seed: 5, userCount: 300, itemCount: 240), 300, 240);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void TaggedCatalogue_TrueWeights_RankEachUsersPlayedItemsAboveTheRest(double tagSignal)
    {
        var (_, plays) = TaggedCatalogue.Generate(seed: 5, userCount: 300, itemCount: 240, tagSignal);
        AssertWeightsExplainPlays(plays, TaggedCatalogue.TrueWeights(seed: 5, userCount: 300, itemCount: 240, tagSignal), 300, 240);
    }

    [Fact]
    public void TaggedCatalogue_TruePopularity_IsTheFactorEveryUserShares()
    {
        // With the tags carrying none of the taste, weight / popularity is exp(3 × liked draws of the item's cluster): 1, e³ or e⁶.
        var weight = TaggedCatalogue.TrueWeights(seed: 5, userCount: 50, itemCount: 240, tagSignal: 0);
        var popularity = TaggedCatalogue.TruePopularity(seed: 5, userCount: 50, itemCount: 240, tagSignal: 0);
        var playable = Enumerable.Range(0, 240).Where(i => weight(0, i) > 0).ToList();
        Assert.All(playable, i => Assert.True(popularity(i) > 0));
        var taste = playable.SelectMany(i => Enumerable.Range(0, 50).Select(u => Math.Log(weight(u, i) / popularity(i)) / 3)).ToList();
        Assert.All(taste, t => Assert.Contains(Math.Round(t, 9), new[] { 0.0, 1.0, 2.0 }));
        Assert.Contains(1.0, taste.Select(t => Math.Round(t, 9)));
    }

    [Fact]
    public void MusicDemo_TruePopularity_LeavesATastePerUserAndGenre()
    {
        // weight / popularity is the user's taste for the song's genre, squared: equal for every song of one genre.
        var (_, items, _) = MusicDemo.Generate(seed: 5, userCount: 40, itemCount: 240);
        var genre = items.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[^3]).ToArray();
        var weight = MusicDemo.TrueWeights(seed: 5, userCount: 40, itemCount: 240);
        var popularity = MusicDemo.TruePopularity(seed: 5, userCount: 40, itemCount: 240);
        var playable = Enumerable.Range(0, 240).Where(i => weight(0, i) > 0).ToList();
        for (var u = 0; u < 40; u++)
        {
            foreach (var songs in playable.GroupBy(i => genre[i]))
            {
                var tastes = songs.Select(i => weight(u, i) / popularity(i)).ToList();
                Assert.All(tastes, t => Assert.Equal(tastes[0], t, 9));
            }
        }

        Assert.True(playable.Select(i => genre[i]).Distinct().Count() > 1);
    }

    private static void AssertWeightsExplainPlays(string plays, Func<int, int, double> weight, int userCount, int itemCount)
    {
        var played = new HashSet<int>[userCount];
        foreach (var line in plays.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var fields = line.Split(',');
            var (user, item) = (int.Parse(fields[0].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[1].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture));
            (played[user] ??= []).Add(item);
            Assert.True(weight(user, item) > 0, $"item {item}, played by user {user}, weighs 0");
        }

        var neverPlayable = Enumerable.Range(0, itemCount).Where(i => weight(0, i) == 0).ToList();
        Assert.InRange(neverPlayable.Count, itemCount / 20, itemCount / 5); // a tenth of the items, drawn
        Assert.All(neverPlayable, i => Assert.All(played.Where(p => p is not null), p => Assert.DoesNotContain(i, p)));

        // Per user: the share of (played, not played) pairs of playable items the weight orders right.
        var aucs = new List<double>();
        for (var u = 0; u < userCount; u++)
        {
            if (played[u] is not { } mine)
            {
                continue;
            }

            var others = Enumerable.Range(0, itemCount).Where(i => !mine.Contains(i) && weight(u, i) > 0).Select(i => weight(u, i)).ToArray();
            var right = mine.Sum(p => others.Count(o => weight(u, p) > o) + (0.5 * others.Count(o => weight(u, p) == o)));
            aucs.Add(right / (mine.Count * (double)others.Length));
        }

        Assert.True(aucs.Count > userCount / 2);
        Assert.InRange(aucs.Average(), 0.75, 1.0);
    }
}
