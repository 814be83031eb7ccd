using RecKit.Serving;

namespace RecKit.Tests.Serving.Storage;

/// <summary>
/// What every <see cref="IInteractionStore"/> promises (SQLite today; PostgreSQL inherits the same tests): durable
/// group-committed appends whose ids ascend and are never reused, reads since an id and per user, feedback, erasure.
/// </summary>
public abstract class InteractionStoreContract : IAsyncLifetime
{
    /// <summary>Opens (creating if needed) the store that <see cref="Reopen"/> opens again: same place, same rows.</summary>
    protected abstract IInteractionStore Open();

    /// <summary>How many commits the store made, when it counts them (null: it does not say).</summary>
    protected abstract long? Commits(IInteractionStore store);

    /// <summary>Makes every commit of the store throw <paramref name="fault"/> just before it commits (null: commit again).</summary>
    protected abstract void FailCommits(IInteractionStore store, Action? fault);

    private IInteractionStore? _store;

    protected IInteractionStore Store => _store!;

    public Task InitializeAsync()
    {
        _store = Open();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await _store!.DisposeAsync();

    private async Task<IInteractionStore> Reopen()
    {
        await Store.DisposeAsync();
        _store = Open();
        return _store;
    }

    private static StoredInteraction Row(string user, string item, double value = 1, string type = "view") => new(user, item, type, value, 1_700_000_000_000);

    [Fact]
    public async Task ConcurrentAppends_AreGroupCommitted_AndEachGetsTheIdsOfItsOwnRows()
    {
        // Eight threads each queue eight appends without waiting between them: appends in flight together.
        Task<long[]> Append(int a) => Store.AppendAsync(Enumerable.Range(0, 1 + (a % 7)).Select(j => new StoredInteraction($"u{a}", $"i{j}", "view", a, (a * 1000L) + j)).ToList());
        var threads = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() => Enumerable.Range(t * 8, 8).Select(Append).ToArray())));
        var ids = await Task.WhenAll(threads.SelectMany(a => a));
        if (Commits(Store) is { } commits)
        {
            Assert.True(commits < 64, $"{commits} commits for 64 concurrent appends: no grouping");
        }

        var rows = Store.ReadSince(0).ToDictionary(x => x.Id);
        Assert.Equal(ids.Sum(i => i.Length), rows.Count);
        for (var a = 0; a < 64; a++)
        {
            Assert.Equal(1 + (a % 7), ids[a].Length);
            Assert.Equal(ids[a].Order(), ids[a]);
            for (var j = 0; j < ids[a].Length; j++)
            {
                var row = rows[ids[a][j]];
                Assert.Equal(($"u{a}", $"i{j}", (double)a, (a * 1000L) + j), (row.User, row.Item, row.Value, row.Timestamp));
            }
        }

        Assert.Equal(rows.Keys.Max(), Store.LastInteractionId());
        Assert.Equal(rows.Keys.Where(id => id > 10).Order(), Store.ReadSince(10).Select(x => x.Id));
    }

    [Fact]
    public async Task Rows_SurviveAReopen_AndAppendsContinueAfterThem()
    {
        var first = await Store.AppendAsync([Row("a", "1"), Row("b", "2")]);
        await Store.AppendFeedbackAsync([new StoredFeedback("a", "1", "click", "als", "control", "v0001", 5)]);
        var store = await Reopen();
        Assert.Equal(first, store.ReadSince(0).Select(x => x.Id));
        var next = await store.AppendAsync([Row("c", "3", type: "like")]);
        Assert.True(next[0] > first[^1]);
        Assert.Equal(new StoredFeedback("a", "1", "click", "als", "control", "v0001", 5), Assert.Single(store.ReadFeedback()));
        Assert.Equal("like", store.ReadSince(first[^1]).Single().Type);
    }

    [Fact]
    public async Task ReadUser_GivesThatUsersRowsInIdOrder()
    {
        await Store.AppendAsync([Row("a", "1"), Row("b", "2"), Row("a", "3")]);
        await Store.AppendAsync([Row("a", "4", 2.5)]);
        Assert.Equal(["1", "3", "4"], Store.ReadUser("a").Select(x => x.Item));
        Assert.Equal(2.5, Store.ReadUser("a").Last().Value);
        Assert.Empty(Store.ReadUser("nobody"));
    }

    [Fact]
    public async Task EraseUser_RemovesTheirRowsAndFeedback_AndIdsAreNeverGivenTwice()
    {
        await Store.AppendAsync([Row("keep", "1")]);
        var erased = await Store.AppendAsync([Row("gone", "2"), Row("gone", "3")]);
        await Store.AppendFeedbackAsync([new StoredFeedback("gone", "2", "impression", "als", "", "v0001", 1), new StoredFeedback("keep", "1", "click", "als", "", "v0001", 2)]);
        Assert.Equal(2, await Store.EraseUserAsync("gone"));
        Assert.Empty(Store.ReadUser("gone"));
        Assert.Equal("keep", Assert.Single(Store.ReadFeedback()).User);
        Assert.Equal(erased[^1], Store.LastInteractionId()); // the newest rows were erased; their ids stay taken
        var store = await Reopen();
        Assert.Equal(erased[^1], store.LastInteractionId());
        var next = await store.AppendAsync([Row("new", "4")]);
        Assert.True(next[0] > erased[^1], $"id {next[0]} was given again after erasure (last erased {erased[^1]})");
        Assert.Equal(0, await store.EraseUserAsync("nobody"));
    }

    [Fact]
    public async Task EraseUser_IsRememberedAsAHashOfTheId_NeverTheIdItself()
    {
        var ids = await Store.AppendAsync([Row("gone", "2")]);
        await Store.EraseUserAsync("gone");
        var erased = Store.ErasedUsers();
        Assert.Equal(ids[^1], erased[RecKit.Data.UserErasure.Hash("gone")]);
        Assert.DoesNotContain("gone", erased.Keys);
        var store = await Reopen();
        Assert.Single(store.ErasedUsers());
    }

    [Fact]
    public async Task DeleteInteraction_RemovesThatRowOnly_AndItsIdIsNeverGivenAgain()
    {
        var ids = await Store.AppendAsync([Row("a", "1"), Row("a", "2"), Row("b", "3")]);
        var deleted = await Store.DeleteInteractionAsync(ids[^1]);
        Assert.Equal(("b", "3", ids[^1]), (deleted!.User, deleted.Item, deleted.Id));
        Assert.Null(await Store.DeleteInteractionAsync(ids[^1]));
        Assert.Null(await Store.DeleteInteractionAsync(12345));
        Assert.Equal(["1", "2"], Store.ReadSince(0).Select(x => x.Item));
        var store = await Reopen();
        var next = await store.AppendAsync([Row("c", "4")]);
        Assert.True(next[0] > ids[^1], $"id {next[0]} was given again after deleting {ids[^1]}");
    }

    [Fact]
    public async Task ItemStates_AreDurable_AndVisibleForgetsThem()
    {
        await Store.SetItemStateAsync("a", ItemState.Hidden);
        await Store.SetItemStateAsync("b", ItemState.Deleted);
        await Store.SetItemStateAsync("a", ItemState.Deleted);
        await Store.SetItemStateAsync("c", ItemState.Hidden);
        await Store.SetItemStateAsync("c", ItemState.Visible);
        var store = await Reopen();
        Assert.Equal(new Dictionary<string, ItemState> { ["a"] = ItemState.Deleted, ["b"] = ItemState.Deleted }, store.ItemStates());
    }

    [Fact]
    public async Task FeatureRows_AreDurable_AnUpdateKeepsItsSequence_AndErasureRemovesTheUsers()
    {
        Assert.Equal(1, await Store.PutFeaturesAsync(FeatureOwner.Item, "new-1", "First", new Dictionary<string, string?> { ["genre"] = "Rock\u001FPop", ["year"] = null }));
        Assert.Equal(2, await Store.PutFeaturesAsync(FeatureOwner.Item, "new-2", null, new Dictionary<string, string?> { ["genre"] = "Jazz" }));
        Assert.Equal(1, await Store.PutFeaturesAsync(FeatureOwner.Item, "new-1", "First, retitled", new Dictionary<string, string?> { ["genre"] = "Rock" }));
        Assert.Equal(1, await Store.PutFeaturesAsync(FeatureOwner.User, "u1", null, new Dictionary<string, string?> { ["age"] = "31" }));
        Assert.Equal(2, await Store.PutFeaturesAsync(FeatureOwner.User, "u2", null, new Dictionary<string, string?> { ["age"] = "40" }));
        await Store.EraseUserAsync("u1");
        Assert.Equal(3, await Store.PutFeaturesAsync(FeatureOwner.User, "u3", null, new Dictionary<string, string?> { ["age"] = "50" }));
        Assert.True(await Store.DeleteFeaturesAsync(FeatureOwner.User, "u3"));
        Assert.False(await Store.DeleteFeaturesAsync(FeatureOwner.User, "u3"));
        var store = await Reopen();
        var items = store.ReadFeatures(FeatureOwner.Item);
        Assert.Equal(["new-1", "new-2"], items.Select(r => r.Id));
        Assert.Equal(("First, retitled", 1L, "Rock"), (items[0].Title, items[0].Sequence, items[0].Fields["genre"]));
        Assert.Null(items[1].Title);
        Assert.Equal(["u2"], store.ReadFeatures(FeatureOwner.User).Select(r => r.Id));
    }

    [Fact]
    public async Task ACommitThatFails_FailsEveryAppendInIt_StoresNothing_AndSpendsNoId()
    {
        FailCommits(Store, () => throw new IOException("the disk is full (injected)"));
        var appends = Enumerable.Range(0, 8).Select(j => Store.AppendAsync([Row($"u{j}", "i")])).ToList();
        foreach (var append in appends)
        {
            var error = await Assert.ThrowsAsync<IOException>(() => append);
            Assert.Contains("nothing of it was stored", error.Message, StringComparison.Ordinal);
        }

        FailCommits(Store, null);
        Assert.Empty(Store.ReadSince(0));
        Assert.Equal(0, Store.LastInteractionId());
        var first = await Store.AppendAsync([Row("u", "i")]);
        Assert.Equal(1L, Assert.Single(first));
    }

    [Fact]
    public async Task AClosedStore_RefusesAppends()
    {
        await Store.DisposeAsync();
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => Store.AppendAsync([Row("u", "i")]));
        _store = Open(); // for DisposeAsync
    }

    [Fact]
    public async Task DisposingTwice_EvenAtOnce_ClosesOnce_AndEveryCallCompletes()
    {
        // The server's host disposes the service when it stops and its container disposes it again: the calls may overlap.
        for (var round = 0; round < 10; round++)
        {
            await Store.AppendAsync([Row("u", $"i{round}")]);
            using var start = new Barrier(4);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                await Store.DisposeAsync();
            })));
            await Store.DisposeAsync();
            await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => Store.AppendAsync([Row("u", "late")]));
            _store = Open();
            Assert.Equal(round + 1, Store.ReadSince(0).Count());
        }
    }
}
