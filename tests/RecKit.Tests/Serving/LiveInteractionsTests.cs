using RecKit.Serving;

namespace RecKit.Tests.Serving;

public class LiveInteractionsTests
{
    [Fact]
    public void User_MergesTheBundlesHistoryWithWhatWasIngested_AndExcludesNegatives()
    {
        var live = new LiveInteractions();
        int[] bundleItems = [1, 3, 5];
        float[] bundleValues = [4, 5, 3];
        var untouched = live.User("u", 0, bundleItems, bundleValues);
        Assert.False(untouched.Changed);
        Assert.Equal(bundleItems, untouched.History);

        live.Apply("u", 3, 1, id: 10);
        live.Apply("u", 4, 2, id: 11);
        live.Apply("u", 4, 0.5f, id: 12);
        live.Apply("u", 7, -1, id: 13);
        live.Apply("u", 5, -1, id: 14);
        var user = live.User("u", 0, bundleItems, bundleValues);
        Assert.True(user.Changed);
        Assert.Equal([1, 3, 4, 5], user.History);
        Assert.Equal([4f, 6f, 2.5f, 3f], user.Weights);
        Assert.Equal([1, 3, 4, 5, 7], user.Excluded);
        Assert.Equal(14, live.AppliedThrough);
        Assert.Equal(5, live.Count);

        // A later interaction is seen by the next read (the sorted view is rebuilt after a change).
        live.Apply("u", 0, 1, id: 15);
        Assert.Equal([0, 1, 3, 4, 5], live.User("u", 0, bundleItems, bundleValues).History);

        var stranger = live.User("new", -1, [], []);
        Assert.False(stranger.Changed);
        Assert.Empty(stranger.History);
        live.Apply("new", 2, 3, id: 16);
        Assert.Equal([2], live.User("new", -1, [], []).History);
    }
}
