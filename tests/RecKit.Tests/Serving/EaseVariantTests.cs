using RecKit.Models;
using RecKit.Serving;

namespace RecKit.Tests.Serving;

/// <summary>EASE served as a variant that follows the live history: visitors and changed users are scored exactly from their items.</summary>
public class EaseVariantTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    private static int[] Expected(EaseModel ease, int[] history, int k)
    {
        var scores = new float[ease.ItemCount];
        ease.ScoreHistory(history, scores);
        foreach (var i in history)
        {
            scores[i] = float.NegativeInfinity;
        }

        return Enumerable.Range(0, scores.Length).Where(i => !float.IsNegativeInfinity(scores[i]))
            .OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).ToArray();
    }

    [Fact]
    public void EaseIsAVariant_ThatFollowsHistory()
    {
        Assert.Contains("ease", fixture.Bundle.Variants);
        var ranker = Assert.IsType<FactorRanker>(fixture.Bundle.Ranker("ease"));
        Assert.True(ranker.FollowsHistory);
    }

    [Fact]
    public void AVisitor_IsRankedFromTheirHistory_ExactlyAsEaseScoresIt()
    {
        var ease = (EaseModel)fixture.Content.Models.Single(m => m.Name == "ease").Model;
        int[] history = [2, 5, 11, 17];
        var answer = RankingPolicy.RankVisitor(fixture.Bundle, LiveUser.Visitor(history), 10, "ease");
        Assert.Equal("ease", answer.Ranker);
        Assert.Equal(Expected(ease, history, 10), answer.Items.Items);
    }

    [Fact]
    public void AChangedUser_IsRankedFromTheirLiveHistory_NotTheStoredOne()
    {
        var ease = (EaseModel)fixture.Content.Models.Single(m => m.Name == "ease").Model;
        var known = BundleRecommendations.Known(fixture.Bundle, 0);
        var added = Enumerable.Range(0, ease.ItemCount).First(i => !known.History.Contains(i));
        int[] history = [.. known.History.Append(added).Order()];
        var changed = known with { History = history, Weights = history.Select(_ => 1f).ToArray(), Excluded = history, Changed = true };
        var answer = fixture.Bundle.Ranker("ease").Recommend(changed, 10);
        Assert.Equal(Expected(ease, history, 10), answer.Items);
        Assert.DoesNotContain(added, answer.Items);
    }
}
