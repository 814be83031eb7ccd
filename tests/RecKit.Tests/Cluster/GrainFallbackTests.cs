using System.Reflection;
using RecKit.Cluster;
using RecKit.Data;
using RecKit.Serving;

namespace RecKit.Tests.Cluster;

/// <summary>
/// A silo that cannot reach a user's grain (its silo was killed and is not yet declared dead) answers from the store, and
/// an ingest whose grain call fails is acknowledged and handed to the grain on the user's next read.
/// </summary>
public sealed class GrainFallbackTests
{
    private static readonly CsrMatrix Bundle = CsrMatrix.FromCoordinates(1, 8, [0], [1], [1f]);

    [Fact]
    public async Task AnUnreachableGrain_IsReadFromTheStore_AndCounted()
    {
        var grain = new SwitchableGrain { Reachable = false };
        var store = new StoreRows { Rows = [new LiveEntry(4, 2, 7), new LiveEntry(6, -1, 8)] };
        var fallbacks = new GrainFallbacks();
        var live = new GrainLiveUserState(Factory(grain), "v1", store, fallbacks);

        var user = await live.UserAsync("u", 0, Bundle);
        Assert.Equal([1, 4], user.History);
        Assert.Equal([1, 4, 6], user.Excluded);
        Assert.Equal(1, fallbacks.Reads);

        // A new stored row shows on the next read from the store (its version changes, so nothing folded is reused).
        store.Rows = [.. store.Rows, new LiveEntry(5, 1, 9)];
        var later = await live.UserAsync("u", 0, Bundle);
        Assert.Equal([1, 4, 5], later.History);
    }

    [Fact]
    public async Task AnIngestWhoseGrainIsUnreachable_IsAcknowledged_AndTheGrainCatchesUpOnTheNextRead()
    {
        var grain = new SwitchableGrain { Reachable = false };
        var store = new StoreRows();
        var fallbacks = new GrainFallbacks();
        var live = new GrainLiveUserState(Factory(grain), "v1", store, fallbacks);

        store.Rows = [new LiveEntry(4, 2, 7)]; // committed before the grain call, as the service does
        await live.ApplyAsync([new LiveInteraction("u", 4, 2, 7)]);
        Assert.Equal(1, fallbacks.Applies);
        Assert.Equal(0, grain.History.Count);

        grain.Reachable = true;
        var user = await live.UserAsync("u", 0, Bundle);
        Assert.Equal([1, 4], user.History);
        Assert.Equal(1, grain.History.Count); // the grain now holds the missed row...
        await live.UserAsync("u", 0, Bundle);
        Assert.Equal(1, store.Loads); // ...and later reads go to the grain alone
        Assert.Equal(0, fallbacks.Reads);
    }

    [Fact]
    public async Task WithoutAStore_AnUnreachableGrainFailsTheRequest()
    {
        var live = new GrainLiveUserState(Factory(new SwitchableGrain { Reachable = false }), "v1");
        await Assert.ThrowsAsync<SiloUnavailableException>(async () => await live.UserAsync("u", 0, Bundle));
    }

    /// <summary>A grain factory whose every user grain is <paramref name="grain"/>.</summary>
    private static IGrainFactory Factory(SwitchableGrain grain)
    {
        var factory = DispatchProxy.Create<IGrainFactory, OneGrainFactory>();
        ((OneGrainFactory)(object)factory).Grain = grain;
        return factory;
    }

    public class OneGrainFactory : DispatchProxy
    {
        internal SwitchableGrain Grain { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IGrainFactory.GetGrain) ? Grain : throw new NotSupportedException(targetMethod?.Name);
    }

    /// <summary>A user grain that answers as the real one does, or fails as a grain on a dead silo does.</summary>
    internal sealed class SwitchableGrain : IUserStateGrain
    {
        public bool Reachable { get; set; } = true;

        public UserHistory History { get; } = new();

        public Task<int> ApplyAsync(LiveEntry[] entries) => Reachable ? Task.FromResult(History.Apply(entries)) : Task.FromException<int>(new SiloUnavailableException());

        public Task<UserDelta> GetAsync() => Reachable ? Task.FromResult(History.Delta()) : Task.FromException<UserDelta>(new SiloUnavailableException());

        public Task<int> EraseAsync() => Reachable ? Task.FromResult(History.Clear()) : Task.FromException<int>(new SiloUnavailableException());
    }

    private sealed class StoreRows : IUserStateSource
    {
        public IReadOnlyList<LiveEntry> Rows { get; set; } = [];

        public int Loads { get; private set; }

        public Task<IReadOnlyList<LiveEntry>> LoadAsync(string scope, string user)
        {
            Loads++;
            return Task.FromResult(Rows);
        }
    }
}
