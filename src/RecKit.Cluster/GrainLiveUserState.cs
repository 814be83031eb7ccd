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
/// <remarks>
/// When the grain's silo cannot be reached (killed, and not yet declared dead: seconds, see serve.cluster.probeSeconds),
/// a request does not fail: with a <see cref="IUserStateSource"/> the user's state is read from the store, which holds
/// every acknowledged interaction (an ingest commits before it calls the grain). An ingest whose grain call fails is
/// still acknowledged; the user is remembered here and their grain is given the store's rows (ids count once) on their
/// next read through this silo. A grain that died with its silo needs nothing: it is filled from the store when it
/// comes back.
/// </remarks>
public sealed class GrainLiveUserState : ILiveUserState
{
    private readonly IGrainFactory _grains;
    private readonly string _scope;
    private readonly IUserStateSource? _store;
    private readonly GrainFallbacks _fallbacks;
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal); // users this silo applied to, and how many
    private readonly ConcurrentDictionary<string, (long Version, FoldCache Folds)> _folds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _missed = new(StringComparer.Ordinal); // users whose grain missed an ingest here
    private long _appliedThrough;
    private long _count;

    /// <param name="grains">The silo's grain factory.</param>
    /// <param name="scope">The state's scope: one per serving bundle (its version), the same on every silo.</param>
    /// <param name="store">Where a user's state is read when their grain cannot be reached; null: such a request fails.</param>
    /// <param name="fallbacks">The silo's count of what was done without a grain.</param>
    public GrainLiveUserState(IGrainFactory grains, string scope, IUserStateSource? store = null, GrainFallbacks? fallbacks = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrEmpty(scope);
        _grains = grains;
        _scope = scope;
        _store = store;
        _fallbacks = fallbacks ?? new GrainFallbacks();
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
        var added = await Task.WhenAll(byUser.Select(g => ApplyToGrainAsync(g.Key, [.. g.Select(x => new LiveEntry(x.Item, x.Weight, x.Id))]))).ConfigureAwait(false);
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

    private async Task<int> ApplyToGrainAsync(string user, LiveEntry[] entries)
    {
        try
        {
            return await Grain(user).ApplyAsync(entries).ConfigureAwait(false);
        }
        catch (Exception ex) when (_store is not null && Unreachable(ex))
        {
            // Committed already: the store has it. The grain catches up from the store on this user's next read here.
            _missed[user] = 0;
            _fallbacks.Apply();
            return 0;
        }
    }

    public async ValueTask<LiveUser> UserAsync(string id, int index, CsrMatrix bundleHistory)
    {
        ArgumentNullException.ThrowIfNull(bundleHistory);
        var delta = await DeltaAsync(id).ConfigureAwait(false);
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

    private async Task<UserDelta> DeltaAsync(string user)
    {
        if (_store is null)
        {
            return await Grain(user).GetAsync().ConfigureAwait(false);
        }

        try
        {
            if (_missed.ContainsKey(user))
            {
                // The grain missed an ingest made here: give it the store's rows (those it holds count once), then read it.
                await Grain(user).ApplyAsync([.. await _store.LoadAsync(_scope, user).ConfigureAwait(false)]).ConfigureAwait(false);
                _missed.TryRemove(user, out _);
            }

            return await Grain(user).GetAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (Unreachable(ex))
        {
            _fallbacks.Read();
            var rows = await _store.LoadAsync(_scope, user).ConfigureAwait(false);
            var history = new UserHistory();
            history.Apply(rows);
            // A version that changes with every new row (store ids ascend) and never equals a grain's (those count up
            // from 1), so a vector folded from the store is not taken for the grain's, nor kept past a new ingest.
            return history.Delta() with { Version = rows.Count == 0 ? 0 : -rows.Max(r => r.Id) };
        }
    }

    public async ValueTask EraseAsync(string id)
    {
        await Grain(id).EraseAsync().ConfigureAwait(false);
        _missed.TryRemove(id, out _);
        _folds.TryRemove(id, out _);
        if (_held.TryRemove(id, out var held))
        {
            Interlocked.Add(ref _count, -held);
        }
    }

    /// <summary>A grain call that failed because the grain's silo could not be reached in time, not because the grain refused it.</summary>
    public static bool Unreachable(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or Orleans.Runtime.Messaging.ConnectionFailedException;

    private IUserStateGrain Grain(string user) => _grains.GetGrain<IUserStateGrain>($"{_scope}/{user}");
}
