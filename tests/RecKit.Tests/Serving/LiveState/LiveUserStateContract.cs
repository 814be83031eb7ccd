using RecKit.Data;
using RecKit.Serving;

namespace RecKit.Tests.Serving.LiveState;

/// <summary>What every <see cref="ILiveUserState"/> promises (in-process today; the cluster's grains inherit these tests).</summary>
public abstract class LiveUserStateContract
{
    protected abstract ILiveUserState Create();

    /// <summary>A bundle history: user 0 has items 1, 3, 5 (values 4, 5, 3); user 1 has item 2.</summary>
    private static readonly CsrMatrix Bundle = CsrMatrix.FromCoordinates(2, 8, [0, 0, 0, 1], [1, 3, 5, 2], [4f, 5f, 3f, 1f]);

    private static LiveInteraction X(string user, int item, float weight, long id) => new(user, item, weight, id);

    [Fact]
    public async Task User_MergesTheBundlesHistoryWithWhatWasIngested_AndExcludesNegatives()
    {
        var live = Create();
        var untouched = await live.UserAsync("u", 0, Bundle);
        Assert.False(untouched.Changed);
        Assert.True(untouched.UsesStoredState);
        Assert.Equal([1, 3, 5], untouched.History);
        Assert.Equal([4f, 5f, 3f], untouched.Weights);

        await live.ApplyAsync([X("u", 3, 1, 10), X("u", 4, 2, 11), X("u", 4, 0.5f, 12), X("u", 7, -1, 13), X("u", 5, -1, 14)]);
        var user = await live.UserAsync("u", 0, Bundle);
        Assert.True(user.Changed);
        Assert.Equal([1, 3, 4, 5], user.History);
        Assert.Equal([4f, 6f, 2.5f, 3f], user.Weights);
        Assert.Equal([1, 3, 4, 5, 7], user.Excluded);
        Assert.Equal(14, live.AppliedThrough);
        Assert.Equal(5, live.Count);
        Assert.Equal(1, live.UserCount);

        // A later interaction is seen by the next read.
        await live.ApplyAsync([X("u", 0, 1, 15)]);
        var later = await live.UserAsync("u", 0, Bundle);
        Assert.Equal([0, 1, 3, 4, 5], later.History);
    }

    [Fact]
    public async Task AUserTheBundleDoesNotKnow_StartsEmpty_AndFollowsIngest()
    {
        var live = Create();
        var stranger = await live.UserAsync("new", -1, Bundle);
        Assert.False(stranger.Changed);
        Assert.Empty(stranger.History);
        Assert.Equal(-1, stranger.Index);
        await live.ApplyAsync([X("new", 2, 3, 16)]);
        var after = await live.UserAsync("new", -1, Bundle);
        Assert.Equal([2], after.History);
        Assert.Equal([3f], after.Weights);
        Assert.False(after.UsesStoredState);
    }

    [Fact]
    public async Task Erase_ForgetsWhatWasIngested_ButNotTheBundle()
    {
        var live = Create();
        await live.ApplyAsync([X("u", 6, 1, 1), X("u", 7, -1, 2), X("other", 2, 1, 3)]);
        await live.EraseAsync("u");
        var user = await live.UserAsync("u", 0, Bundle);
        Assert.Equal([1, 3, 5], user.History);
        Assert.False(user.Changed);
        Assert.Equal(1, live.Count);
        Assert.Equal(1, live.UserCount);
        var other = await live.UserAsync("other", -1, Bundle);
        Assert.Equal([2], other.History);
    }

    [Fact]
    public async Task FoldedVectors_AreKeptUntilTheUserChanges()
    {
        var live = Create();
        await live.ApplyAsync([X("u", 6, 1, 1)]);
        var folds = 0;
        float[] Fold()
        {
            folds++;
            return [1f];
        }

        var first = (await live.UserAsync("u", 0, Bundle)).Folds!;
        first.GetOrFold("als", Fold);
        (await live.UserAsync("u", 0, Bundle)).Folds!.GetOrFold("als", Fold);
        Assert.Equal(1, folds);
        await live.ApplyAsync([X("u", 7, 1, 2)]);
        (await live.UserAsync("u", 0, Bundle)).Folds!.GetOrFold("als", Fold);
        Assert.Equal(2, folds);
    }

    [Fact]
    public async Task ConcurrentApplies_AreAllKept()
    {
        var live = Create();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var j = 0; j < 200; j++)
            {
                await live.ApplyAsync([X($"u{j % 10}", j % 8, 1, (t * 1000) + j + 1)]);
            }
        })));
        Assert.Equal(1600, live.Count);
        Assert.Equal(7200, live.AppliedThrough);
        var weights = 0f;
        for (var u = 0; u < 10; u++)
        {
            weights += (await live.UserAsync($"u{u}", -1, Bundle)).Weights.Sum();
        }

        Assert.Equal(1600f, weights);
    }
}

public sealed class InProcessLiveUserStateTests : LiveUserStateContract
{
    protected override ILiveUserState Create() => new InProcessLiveUserState();
}
