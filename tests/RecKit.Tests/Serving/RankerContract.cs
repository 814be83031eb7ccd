using RecKit.Serving;

namespace RecKit.Tests.Serving;

/// <summary>
/// What every <see cref="IRanker"/> promises, on the fixture bundle: at most k items, best first, finite scores, never
/// an excluded item or one the filter rejects, k items for a known user, and an answer (its own, or marked as
/// popularity's) for a visitor.
/// </summary>
public abstract class RankerContract(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    protected BundleFixture Fixture { get; } = fixture;

    protected abstract IRanker Ranker { get; }

    private static void Valid(RankedItems answer, int k, LiveUser user, Func<int, bool>? allow)
    {
        Assert.True(answer.Items.Length <= k);
        Assert.Equal(answer.Items.Length, answer.Scores.Length);
        Assert.All(answer.Scores, s => Assert.True(float.IsFinite(s)));
        Assert.Equal(answer.Scores.OrderDescending(), answer.Scores);
        Assert.Equal(answer.Items.Length, answer.Items.Distinct().Count());
        Assert.All(answer.Items, i => Assert.DoesNotContain(i, user.Excluded));
        Assert.All(answer.Items, i => Assert.True(allow is null || allow(i)));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(3, 1)]
    [InlineData(7, 12)]
    public void AKnownUser_GetsKItems_NoneSeen(int user, int k)
    {
        var live = BundleRecommendations.Known(Fixture.Bundle, user);
        var answer = Ranker.Recommend(live, k);
        Valid(answer, k, live, null);
        Assert.Equal(k, answer.Items.Length);
    }

    [Fact]
    public void AFilter_IsRespected()
    {
        var live = BundleRecommendations.Known(Fixture.Bundle, 1);
        var even = Fixture.Bundle.LabelFilter("Even")!;
        var answer = Ranker.Recommend(live, 10, even);
        Valid(answer, 10, live, even);
        Assert.NotEmpty(answer.Items);
    }

    [Fact]
    public void ExcludedItems_AreNeverReturned()
    {
        var known = BundleRecommendations.Known(Fixture.Bundle, 2);
        var top = Ranker.Recommend(known, 5).Items;
        var excluded = known.Excluded.Concat(top).Distinct().Order().ToArray();
        var live = known with { Excluded = excluded, Changed = true };
        var answer = Ranker.Recommend(live, 10);
        Valid(answer, 10, live, null);
        Assert.Empty(answer.Items.Intersect(top));
    }

    [Fact]
    public void AVisitor_GetsAnAnswer()
    {
        var visitor = LiveUser.Visitor([1, 4, 9, 16]);
        var answer = Ranker.Recommend(visitor, 10);
        Valid(answer, 10, visitor, null);
        Assert.NotEmpty(answer.Items);
    }
}

public sealed class AlsRankerTests(BundleFixture fixture) : RankerContract(fixture)
{
    protected override IRanker Ranker => Fixture.Bundle.Ranker("als");
}

public sealed class ItemKnnRankerTests(BundleFixture fixture) : RankerContract(fixture)
{
    protected override IRanker Ranker => Fixture.Bundle.Ranker("itemknn");
}

public sealed class EaseRankerTests(BundleFixture fixture) : RankerContract(fixture)
{
    protected override IRanker Ranker => Fixture.Bundle.Ranker("ease");
}

public sealed class BiasRankerTests(BundleFixture fixture) : RankerContract(fixture)
{
    protected override IRanker Ranker => Fixture.Bundle.Ranker("bias");
}

public sealed class PopularityRankerTests(BundleFixture fixture) : RankerContract(fixture)
{
    protected override IRanker Ranker => Fixture.Bundle.Popular;
}

public sealed class LogisticStackRankerTests(BundleFixture fixture) : RankerContract(fixture)
{
    protected override IRanker Ranker => Fixture.Bundle.Ranker("LogisticStack");
}

public sealed class GBStackRankerTests(BundleFixture fixture) : RankerContract(fixture)
{
    protected override IRanker Ranker => Fixture.Bundle.Ranker("GBStack");
}
