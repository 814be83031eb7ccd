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
