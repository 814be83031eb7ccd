using RecKit.Serving;

namespace RecKit.Tests.Serving;

/// <summary>Every answer names the ranker that produced it and why, fallbacks included.</summary>
public class RankingPolicyTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    private readonly RankingPolicy _policy = new(null);

    [Fact]
    public void AKnownUser_GetsTheDefaultVariant()
    {
        var answer = _policy.Rank(fixture.Bundle, BundleRecommendations.Known(fixture.Bundle, 0), 10, null, null);
        Assert.Equal(fixture.Bundle.Manifest.DefaultVariant, answer.Ranker);
        Assert.Equal("the bundle's default variant", answer.Reason);
        Assert.False(answer.Cold);
    }

    [Fact]
    public void AUserWithNoHistory_GetsPopularity_AndIsCold()
    {
        var answer = _policy.Rank(fixture.Bundle, new LiveUser("stranger", -1, [], [], [], false), 10, null, "als");
        Assert.Equal("popularity", answer.Ranker);
        Assert.True(answer.Cold);
        Assert.Contains("no history", answer.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownUserWithAHistory_GetsTheVisitorRanker()
    {
        var user = new LiveUser("new", -1, [1, 2], [1f, 1f], [1, 2], true);
        var answer = _policy.Rank(fixture.Bundle, user, 10, null, null);
        Assert.Equal(fixture.Bundle.VisitorRanker.Name, answer.Ranker);
        Assert.Contains("unknown to bundle", answer.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AVariantThatCannotScoreTheUser_IsReportedAsThePopularityFallback()
    {
        // Bias has no history scorer and no answer for a user it never saw: popularity answers, and says so.
        var visitor = LiveUser.Visitor([1, 2, 3]);
        var answer = RankingPolicy.RankVisitor(fixture.Bundle, visitor, 10, "bias");
        Assert.Equal("popularity", answer.Ranker);
        Assert.Contains("bias cannot score this user", answer.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(answer.Items.Items);
    }

    [Fact]
    public void AnExperimentArm_IsNamed_AndAnArmWhoseVariantIsMissingFallsBackToTheDefault()
    {
        var experiment = new Experiment { Name = "exp", Salt = "s", Arms = [new ExperimentArm("treatment", "no-such-variant", 1)] };
        var answer = new RankingPolicy(experiment).Rank(fixture.Bundle, BundleRecommendations.Known(fixture.Bundle, 0), 10, null, null);
        Assert.Equal("treatment", answer.Arm);
        Assert.Equal(fixture.Bundle.Manifest.DefaultVariant, answer.Ranker);
        Assert.Contains("not in bundle", answer.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownVariant_IsARequestError()
    {
        var error = Assert.Throws<RequestFieldException>(() => _policy.Rank(fixture.Bundle, BundleRecommendations.Known(fixture.Bundle, 0), 10, null, "nope"));
        Assert.Equal("variant", error.Field);
    }
}
