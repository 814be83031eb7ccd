using System.Collections.Concurrent;
using RecKit.Data;
using RecKit.Serving;

namespace RecKit.Cluster;

/// <summary>
/// The <see cref="ILiveUserState"/> of a cluster: each user's ingested interactions live in their user grain
/// (<see cref="IUserStateGrain"/>, key "SCOPE/USER"), so whichever silo ingests, every silo's next request reads the same
/// state; the bundle's rows are read locally (every silo has the bundle). Folded vectors are kept on the silo that folds
/// them, for the grain's version: a change anywhere makes every silo fold again. <see cref="Count"/>, <see cref="UserCount"/>
/// and <see cref="AppliedThrough"/> count what went through this instance (this silo), not the whole cluster.
/// </summary>
public sealed class GrainLiveUserState : ILiveUserState
{
    private readonly IGrainFactory _grains;
    private readonly string _scope;
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal); // users this silo applied to, and how many
    private readonly ConcurrentDictionary<string, (long Version, FoldCache Folds)> _folds = new(StringComparer.Ordinal);
    private long _appliedThrough;
    private long _count;

    /// <param name="scope">The state's scope: one per serving bundle (its version), the same on every silo.</param>
    public GrainLiveUserState(IGrainFactory grains, string scope)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrEmpty(scope);
        _grains = grains;
        _scope = scope;
    }

    public long AppliedThrough => Interlocked.Read(ref _appliedThrough);

    public long Count => Interlocked.Read(ref _count);

    public int UserCount => _held.Count;

    public async ValueTask ApplyAsync(IReadOnlyList<LiveInteraction> interactions)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        if (interactions.Count == 0)
        {
            return;
        }

        var byUser = interactions.GroupBy(x => x.User, StringComparer.Ordinal).ToList();
        var added = await Task.WhenAll(byUser.Select(g => Grain(g.Key).ApplyAsync([.. g.Select(x => new LiveEntry(x.Item, x.Weight, x.Id))]))).ConfigureAwait(false);
        for (var u = 0; u < byUser.Count; u++)
        {
            if (added[u] > 0)
            {
                _held.AddOrUpdate(byUser[u].Key, added[u], (_, n) => n + added[u]);
                Interlocked.Add(ref _count, added[u]);
            }
        }

        var highest = interactions.Max(x => x.Id);
        long seen;
        while ((seen = Interlocked.Read(ref _appliedThrough)) < highest && Interlocked.CompareExchange(ref _appliedThrough, highest, seen) != seen)
        {
        }
    }

    public async ValueTask<LiveUser> UserAsync(string id, int index, CsrMatrix bundleHistory)
    {
        ArgumentNullException.ThrowIfNull(bundleHistory);
        var delta = await Grain(id).GetAsync().ConfigureAwait(false);
        var items = index >= 0 ? bundleHistory.RowColumns(index) : [];
        var values = index >= 0 ? bundleHistory.RowValues(index) : [];
        if (delta.Count == 0)
        {
            _folds.TryRemove(id, out _);
            return LiveUser.Unchanged(id, index, items, values);
        }

        var folds = _folds.AddOrUpdate(id, _ => (delta.Version, new FoldCache()), (_, kept) => kept.Version == delta.Version ? kept : (delta.Version, new FoldCache())).Folds;
        return LiveUser.Merge(id, index, items, values, delta.Items, delta.Weights, delta.Negatives, folds);
    }

    public async ValueTask EraseAsync(string id)
    {
        await Grain(id).EraseAsync().ConfigureAwait(false);
        _folds.TryRemove(id, out _);
        if (_held.TryRemove(id, out var held))
        {
            Interlocked.Add(ref _count, -held);
        }
    }

    private IUserStateGrain Grain(string user) => _grains.GetGrain<IUserStateGrain>($"{_scope}/{user}");
}
