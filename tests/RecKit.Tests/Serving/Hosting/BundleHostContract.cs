using RecKit.Bundles;
using RecKit.Serving;

namespace RecKit.Tests.Serving.Hosting;

/// <summary>
/// What every <see cref="IBundleHost"/> promises (one process over a bundle folder today; a cluster's coordinated
/// rollout inherits these tests): serve the current bundle with the store's interactions replayed, swap to a newer good
/// bundle, refuse a bad one and keep serving, and lose no ingested interaction across a swap.
/// </summary>
public abstract class BundleHostContract(BundleFixture fixture) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"reckit-host-{Guid.NewGuid():N}");
    private SqliteInteractionStore _store = null!;

    /// <summary>Starts the host over <paramref name="bundleRoot"/> and <paramref name="store"/>.</summary>
    protected abstract Task<IBundleHost> StartAsync(string bundleRoot, IInteractionStore store);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _store = SqliteInteractionStore.Open(Path.Combine(_root, "interactions.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Copies the fixture's bundle into the root as <paramref name="version"/> and makes it current.</summary>
    /// <param name="trainedThrough">The store id the bundle was trained through (a retrained bundle's IngestedThrough).</param>
    /// <param name="erasuresThrough">The erasures a retrained bundle took in (its ErasuresThrough).</param>
    private string Publish(string version, Action<string>? damage = null, long trainedThrough = 0, long erasuresThrough = 0)
    {
        var source = fixture.Store.PathOf(fixture.Version);
        var target = Path.Combine(_root, version);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        var manifest = Path.Combine(target, "manifest.json");
        var text = File.ReadAllText(manifest).Replace($"\"version\": \"{fixture.Version}\"", $"\"version\": \"{version}\"", StringComparison.Ordinal);
        text = trainedThrough == 0 ? text : text.Replace("\"ingestedThrough\": 0", $"\"ingestedThrough\": {trainedThrough}", StringComparison.Ordinal);
        File.WriteAllText(manifest, erasuresThrough == 0 ? text : text.Replace("\"erasuresThrough\": 0", $"\"erasuresThrough\": {erasuresThrough}", StringComparison.Ordinal));
        damage?.Invoke(target);
        File.WriteAllText(Path.Combine(_root, BundleStore.CurrentFile), version + "\n");
        return target;
    }

    private StoredInteraction Row(string user, int item) => new(user, fixture.Data.ItemMap[item], "like", 1, 0);

    [Fact]
    public async Task AfterASwap_NothingKeepsTheRetiredBundleAlive()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        await host.Current.Live.UserAsync("someone", 0, host.Current.Bundle.History); // live state built over v0001
        var retired = WeakBundle(host);
        Publish("v0002");
        Assert.True((await host.ReloadAsync()).Swapped);
        await RetiredMemoryReturnedAsync(host);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(retired.IsAlive, "the retired bundle is still referenced after the swap (its memory would never return)");
    }

    /// <summary>Waits for whatever the host does to hand a retired bundle's memory back (nothing by default).</summary>
    protected virtual Task RetiredMemoryReturnedAsync(IBundleHost host) => Task.CompletedTask;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference WeakBundle(IBundleHost host) => new(host.Current.Bundle);

    [Fact]
    public async Task Start_WithoutABundle_Fails()
    {
        await Assert.ThrowsAsync<BundleException>(() => StartAsync(_root, _store));
    }

    [Fact]
    public async Task Start_ServesTheCurrentBundle_WithTheStoreReplayed()
    {
        Publish("v0001");
        var ids = await _store.AppendAsync([Row("new-user", 3), Row("new-user", 4)]);
        var host = await StartAsync(_root, _store);
        Assert.Equal("v0001", host.Current.Bundle.Version);
        Assert.Equal(ids[^1], host.Current.Live.AppliedThrough);
        var user = await host.Current.Live.UserAsync("new-user", -1, host.Current.Bundle.History);
        Assert.Equal([3, 4], user.History);
    }

    [Fact]
    public async Task Reload_SwapsToANewerGoodBundle_AndKeepsWhatWasIngested()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        Assert.False((await host.ReloadAsync()).Swapped); // nothing new
        var rows = new[] { Row("u-live", 5) };
        await host.ApplyAsync(rows, await _store.AppendAsync(rows));
        Publish("v0002");
        var result = await host.ReloadAsync();
        Assert.Equal(new ReloadResult("v0002", null, true), result);
        Assert.Equal("v0002", host.Current.Bundle.Version);
        var user = await host.Current.Live.UserAsync("u-live", -1, host.Current.Bundle.History);
        Assert.Equal([5], user.History);
    }

    [Fact]
    public async Task ANegativeType_IsAnExclusion_NeverAPositiveWeight_LiveAndReplayed()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        var rows = new[] { Row("u-neg", 3), new StoredInteraction("u-neg", fixture.Data.ItemMap[4], "dislike", 2, 0) };
        await host.ApplyAsync(rows, await _store.AppendAsync(rows));
        foreach (var current in new[] { host, await StartAsync(_root, _store) })
        {
            var user = await current.Current.Live.UserAsync("u-neg", -1, current.Current.Bundle.History);
            Assert.Equal([3], user.History); // a dislike pulls no fold towards the item it hides
            Assert.Equal([3f], user.Weights);
            Assert.Equal([3, 4], user.Excluded);
        }
    }

    [Fact]
    public async Task AnErasedUser_IsHiddenFromBundlesTrainedBefore_NotFromOnesTrainedAfter()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        var known = fixture.Data.UserMap.Ids[0];
        Assert.False(host.IsErasedFrom(host.Current.Bundle, known));
        await _store.EraseUserAsync(known);
        await host.EraseAsync(known);
        Assert.True(host.IsErasedFrom(host.Current.Bundle, known));
        var restarted = await StartAsync(_root, _store);
        Assert.True(restarted.IsErasedFrom(restarted.Current.Bundle, known)); // remembered across a restart, by the bundle it loads
        Publish("v0002", erasuresThrough: 1); // retrained after the erasure: it left the user out, and may hold them again if they came back
        await host.ReloadAsync();
        Assert.False(host.IsErasedFrom(host.Current.Bundle, known));
    }

    [Fact]
    public async Task RefreshUser_RebuildsTheirLiveStateFromTheStore()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        var rows = new[] { Row("u-del", 3), Row("u-del", 4), Row("u-other", 5) };
        var ids = await _store.AppendAsync(rows);
        await host.ApplyAsync(rows, ids);
        await _store.DeleteInteractionAsync(ids[1]);
        await host.RefreshUserAsync("u-del");
        var refreshed = await host.Current.Live.UserAsync("u-del", -1, host.Current.Bundle.History);
        var other = await host.Current.Live.UserAsync("u-other", -1, host.Current.Bundle.History);
        Assert.Equal([3], refreshed.History);
        Assert.Equal([5], other.History);
        var next = new[] { Row("u-del", 6) };
        await host.ApplyAsync(next, await _store.AppendAsync(next)); // later ingest still applies, once
        var after = await host.Current.Live.UserAsync("u-del", -1, host.Current.Bundle.History);
        Assert.Equal([3, 6], after.History);
        Assert.Equal([3f, 3f], after.Weights);
    }

    [Fact]
    public async Task Reload_RefusesADamagedBundle_AndTheOldOneKeepsServing()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        Publish("v0002", folder =>
        {
            var model = Path.Combine(folder, "models", "als.model");
            var bytes = File.ReadAllBytes(model);
            bytes[bytes.Length / 2] ^= 0x5A;
            File.WriteAllBytes(model, bytes);
        });
        var result = await host.ReloadAsync();
        Assert.False(result.Swapped);
        Assert.Equal("v0001", result.Version);
        Assert.Contains("als.model", result.Refused, StringComparison.Ordinal);
        Assert.Equal("v0001", host.Current.Bundle.Version);
        Assert.Equal(1, host.Refused);
        var refusal = Assert.Single(host.Refusals);
        Assert.Equal("v0002", refusal.Version);
    }

    [Fact]
    public async Task ACopyThatKeptItsVersion_IsRefusedOnce_NotReloadedOnEveryPoll()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        var copy = Publish("v0002");
        var manifest = Path.Combine(copy, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"version\": \"v0002\"", "\"version\": \"v0001\"", StringComparison.Ordinal));
        var first = await host.ReloadAsync();
        Assert.False(first.Swapped);
        Assert.Contains("manifest names version v0001", first.Refused, StringComparison.Ordinal);
        for (var poll = 0; poll < 3; poll++)
        {
            Assert.Equal(new ReloadResult("v0001", null, false), await host.ReloadAsync()); // no re-read, no recount
        }

        Assert.Equal(1, host.Refused);
        Assert.NotNull((await host.ReloadAsync(recheckRefused: true)).Refused); // an operator's reload reads it again
        Assert.Equal(2, host.Refused);
        Publish("v0003");
        Assert.True((await host.ReloadAsync()).Swapped);
        Assert.Equal("v0003", host.Current.Bundle.Version);
    }

    [Fact]
    public async Task IngestDuringReloads_IsNeitherLostNorDoubled()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        var ingest = Task.Run(async () =>
        {
            for (var j = 0; j < 200; j++)
            {
                var rows = new[] { Row($"u{j}", j % fixture.Data.ItemCount) };
                await host.ApplyAsync(rows, await _store.AppendAsync(rows));
            }
        });
        for (var v = 2; v <= 4; v++)
        {
            Publish($"v{v:D4}");
            await host.ReloadAsync();
        }

        await ingest;
        Assert.Equal("v0004", host.Current.Bundle.Version);
        Assert.Equal(200, host.Current.Live.Count);
        Assert.Equal(_store.LastInteractionId(), host.Current.Live.AppliedThrough);
    }

    [Fact]
    public async Task Exclusions_SurviveARetrainedBundle_AndWhatItWasTrainedWithIsNotReplayed()
    {
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        var rows = new[] { Row("u-x", 5), new StoredInteraction("u-x", fixture.Data.ItemMap[7], "dislike", 1, 0) };
        var ids = await _store.AppendAsync(rows);
        await host.ApplyAsync(rows, ids);

        // A retrained bundle took both in: the like is training data now, the dislike was left out of it.
        Publish("v0002", trainedThrough: ids[^1]);
        Assert.True((await host.ReloadAsync()).Swapped);
        var user = await host.Current.Live.UserAsync("u-x", -1, host.Current.Bundle.History);
        Assert.Contains(7, user.Excluded);
        Assert.DoesNotContain(5, user.History); // the like is in the bundle, not replayed on top of it
        Assert.Equal(1, host.Current.Live.Count);
    }

    [Fact]
    public async Task AnIngestCommittedBeforeAReloadReadTheStore_IsNotAppliedTwice()
    {
        // The ingest path commits, then applies; a reload between the two has replayed the row already.
        Publish("v0001");
        var host = await StartAsync(_root, _store);
        var rows = new[] { Row("between", 3) };
        var ids = await _store.AppendAsync(rows);
        Publish("v0002");
        Assert.True((await host.ReloadAsync()).Swapped);
        await host.ApplyAsync(rows, ids);
        Assert.Equal(1, host.Current.Live.Count);
        var user = await host.Current.Live.UserAsync("between", -1, host.Current.Bundle.History);
        Assert.Equal([(float)FeedbackTypes.Default.Weights["like"]], user.Weights);
    }
}

public sealed class FileBundleHostTests(BundleFixture fixture) : BundleHostContract(fixture), IClassFixture<BundleFixture>
{
    protected override async Task<IBundleHost> StartAsync(string bundleRoot, IInteractionStore store) =>
        await FileBundleHost.StartAsync(bundleRoot, store, FeedbackTypes.Default);

    protected override Task RetiredMemoryReturnedAsync(IBundleHost host) => ((FileBundleHost)host).RetiredMemoryReturned;
}
