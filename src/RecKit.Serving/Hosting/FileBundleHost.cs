using RecKit.Bundles;

namespace RecKit.Serving;

/// <summary>
/// Hosts the bundles of one bundle root (bundles/vNNNN with "current" naming the one to serve) in this process: a new
/// version is loaded and smoke-tested beside the serving one, its live state replayed from the store, then swapped in
/// one reference write (requests in flight finish on the old one).
/// </summary>
public sealed class FileBundleHost : IBundleHost
{
    private const int KeptRefusals = 20;

    private readonly BundleStore _bundles;
    private readonly IInteractionStore _store;
    private readonly FeedbackTypes _types;
    private readonly LiveStateFactory _liveState;
    private readonly Func<string, ServingBundle> _load;
    private readonly IRolloutGate? _gate;
    private readonly SemaphoreSlim _reloadGate = new(1, 1); // one reload at a time (the watcher and /admin/reload may race)
    private readonly SemaphoreSlim _swap = new(1, 1); // a replay-then-swap and an apply never interleave
    private readonly Lock _refusalsLock = new();
    private readonly List<BundleRefusal> _refusals = [];
    private volatile ServingSnapshot _current = null!;
    private string _servingFolder = string.Empty; // the folder "current" named when the serving bundle was loaded
    private string? _refusedFolder; // the last folder refused: not checked again by polling until "current" changes
    private long _refused;
    private readonly Dictionary<string, long> _refreshedThrough = new(StringComparer.Ordinal); // per user rebuilt from the store: the last id it read (under _swap)
    private System.Collections.Concurrent.ConcurrentDictionary<string, long> _erased = new(StringComparer.Ordinal); // user hash -> number of their latest erasure
    private volatile ErasedRows _erasedRows = null!; // the serving bundle's rows of erased users

    private FileBundleHost(BundleStore bundles, IInteractionStore store, FeedbackTypes types, LiveStateFactory liveState, Func<string, ServingBundle> load, IRolloutGate? gate)
    {
        _bundles = bundles;
        _store = store;
        _types = types;
        _liveState = liveState;
        _load = load;
        _gate = gate;
    }

    /// <summary>Loads the current bundle of <paramref name="bundleRoot"/> and replays the store; fails when there is no good bundle to serve.</summary>
    /// <param name="liveState">How each bundle's live state is made (default: in this process, replayed from the store).</param>
    /// <param name="load">Loads and verifies one bundle folder (default <see cref="ServingBundle.Load(string)"/>).</param>
    /// <param name="gate">Where a reload waits, with the new bundle verified, before it swaps (a cluster's rollout); null: it swaps at once.</param>
    public static async Task<FileBundleHost> StartAsync(string bundleRoot, IInteractionStore store, FeedbackTypes types, LiveStateFactory? liveState = null, Func<string, ServingBundle>? load = null, IRolloutGate? gate = null)
    {
        var bundles = new BundleStore(bundleRoot);
        var host = new FileBundleHost(bundles, store, types, liveState ?? LiveStateFactory.InProcess, load ?? (folder => ServingBundle.Load(folder)), gate);
        var version = bundles.CurrentVersion() ?? throw new BundleException($"{Path.Combine(bundles.Root, BundleStore.CurrentFile)}: missing; no bundle to serve (the main job writes one).");
        host._erased = new(store.ErasedUsers(), StringComparer.Ordinal);
        var bundle = host._load(bundles.PathOf(version));
        var (live, through) = await host.ReplayAsync(bundle).ConfigureAwait(false);
        host._current = new ServingSnapshot(bundle, live, through);
        host._erasedRows = ErasedRows.For(bundle, host._erased);
        host._servingFolder = version;
        return host;
    }

    public ServingSnapshot Current => _current;

    public long Refused => Interlocked.Read(ref _refused);

    public IReadOnlyList<BundleRefusal> Refusals
    {
        get
        {
            lock (_refusalsLock)
            {
                return [.. _refusals];
            }
        }
    }

    public async Task<ReloadResult> ReloadAsync(bool recheckRefused = false)
    {
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            string? version;
            try
            {
                version = _bundles.CurrentVersion();
            }
            catch (IOException ex)
            {
                return Refuse(null, ex.Message);
            }

            // The folder is the identity (a copy keeps its manifest's version); a refused folder is not re-read on
            // every poll, only when asked (POST /admin/reload) or once "current" names another one.
            if (version is null || version == _servingFolder || (version == _refusedFolder && !recheckRefused))
            {
                return new ReloadResult(_current.Bundle.Version, null, false);
            }

            ServingBundle bundle;
            try
            {
                bundle = _load(_bundles.PathOf(version));
            }
            catch (BundleException ex)
            {
                return Refuse(version, ex.Message);
            }

            if (bundle.Version != version)
            {
                return Refuse(version, $"{_bundles.PathOf(version)}: its manifest names version {bundle.Version}, not its folder's {version} (a bundle copied without renaming its version); refused so that every answer names the bundle truthfully.");
            }

            if (_gate is not null)
            {
                await _gate.WhenClusterReadyAsync(version).ConfigureAwait(false);
            }

            await _swap.WaitAsync().ConfigureAwait(false);
            try
            {
                var (live, through) = await ReplayAsync(bundle).ConfigureAwait(false);
                _current = new ServingSnapshot(bundle, live, through);
                _erasedRows = ErasedRows.For(bundle, _erased);
                _servingFolder = version;
                _refusedFolder = null;
                _refreshedThrough.Clear(); // the replay read every row up to through
            }
            finally
            {
                _swap.Release();
            }

            RetiredMemoryReturned = ReturnRetiredMemoryAsync();
            return new ReloadResult(bundle.Version, null, true);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>How long requests that took the retired bundle get to finish before its memory is collected.</summary>
    private static readonly TimeSpan RetireGrace = TimeSpan.FromSeconds(2);

    /// <summary>The collection that hands the last retired bundle's memory back (done once it completes).</summary>
    internal Task RetiredMemoryReturned { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// A retired bundle is gigabytes at a million items (factor and neighbour arrays on the managed heap, index maps that
    /// its finalizers unmap). Left to the GC's own pace the process keeps the peak of both bundles; one full collection a
    /// moment after the swap (the finalizers run in between) returns the old one's share to the system. Requests still
    /// holding it keep it alive until they finish: nothing is freed under them.
    /// </summary>
    private static async Task ReturnRetiredMemoryAsync()
    {
        await Task.Delay(RetireGrace).ConfigureAwait(false);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public async Task ApplyAsync(IReadOnlyList<StoredInteraction> interactions, IReadOnlyList<long> ids)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(ids);
        await _swap.WaitAsync().ConfigureAwait(false);
        try
        {
            var snapshot = _current;
            var live = new List<LiveInteraction>(interactions.Count);
            for (var j = 0; j < interactions.Count; j++)
            {
                // A reload that read the store after this commit has these rows already (ids ascend in commit order).
                if (ids[j] > snapshot.ReplayedThrough && !(_refreshedThrough.Count > 0 && _refreshedThrough.TryGetValue(interactions[j].User, out var refreshed) && ids[j] <= refreshed)
                    && LiveRows.ToLive(snapshot.Bundle, _types, interactions[j], ids[j]) is { } x)
                {
                    live.Add(x);
                }
            }

            await snapshot.Live.ApplyAsync(live).ConfigureAwait(false);
        }
        finally
        {
            _swap.Release();
        }
    }

    public async Task EraseAsync(string user)
    {
        await _swap.WaitAsync().ConfigureAwait(false);
        try
        {
            var hash = RecKit.Data.UserErasure.Hash(user);
            var erasure = _store.ErasedUsers().GetValueOrDefault(hash, long.MaxValue);
            _erased[hash] = erasure;
            var rows = _erasedRows;
            if (rows.Bundle.Users.TryGetIndex(user, out var index))
            {
                rows.Add(index, erasure);
            }
            await _current.Live.EraseAsync(user).ConfigureAwait(false);
        }
        finally
        {
            _swap.Release();
        }
    }

    public bool IsErasedFrom(ServingBundle bundle, string user)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (_erased.IsEmpty)
        {
            return false;
        }

        // The serving bundle answers from its set; only a request still on a bundle just swapped out hashes the id.
        var rows = _erasedRows;
        return rows.Bundle == bundle
            ? bundle.Users.TryGetIndex(user, out var index) && rows.Contains(index)
            : _erased.TryGetValue(RecKit.Data.UserErasure.Hash(user), out var erasure) && bundle.Manifest.ErasuresThrough < erasure;
    }

    public async Task RefreshUserAsync(string user)
    {
        await _swap.WaitAsync().ConfigureAwait(false);
        try
        {
            var snapshot = _current;
            await snapshot.Live.EraseAsync(user).ConfigureAwait(false);
            var rows = new List<LiveInteraction>();
            var read = _store.LastInteractionId(); // before the read: any row committed later has a larger id
            foreach (var x in _store.ReadUser(user))
            {
                read = Math.Max(read, x.Id);
                if (LiveRows.Replays(snapshot.Bundle, _types, x) && LiveRows.ToLive(snapshot.Bundle, _types, x, x.Id) is { } row)
                {
                    rows.Add(row);
                }
            }

            // A row committed before the read but not yet applied (its ApplyAsync waits for this lock) is in already.
            _refreshedThrough[user] = read;
            await snapshot.Live.ApplyAsync(rows).ConfigureAwait(false);
        }
        finally
        {
            _swap.Release();
        }
    }

    private ReloadResult Refuse(string? version, string reason)
    {
        Interlocked.Increment(ref _refused);
        _refusedFolder = version;
        lock (_refusalsLock)
        {
            _refusals.Insert(0, new BundleRefusal(DateTimeOffset.UtcNow, version, reason));
            if (_refusals.Count > KeptRefusals)
            {
                _refusals.RemoveAt(_refusals.Count - 1);
            }
        }

        return new ReloadResult(_current.Bundle.Version, reason, false);
    }

    /// <summary>
    /// A new live state for <paramref name="bundle"/>: every stored interaction after the bundle's IngestedThrough and
    /// every negative one ever stored; and the last id read (one read sees a consistent snapshot, so every later commit
    /// has a larger id). It reads the whole store once per bundle: exclusions are kept nowhere else. A state that loads
    /// itself is not replayed; every interaction after the bundle is applied to it (through = IngestedThrough).
    /// </summary>
    private async Task<(ILiveUserState Live, long Through)> ReplayAsync(ServingBundle bundle)
    {
        var live = _liveState.Create(bundle);
        if (_liveState.LoadsItself)
        {
            return (live, bundle.Manifest.IngestedThrough);
        }

        var through = bundle.Manifest.IngestedThrough;
        var batch = new List<LiveInteraction>(4096);
        foreach (var x in _store.ReadSince(0))
        {
            through = Math.Max(through, x.Id);
            if (LiveRows.Replays(bundle, _types, x) && LiveRows.ToLive(bundle, _types, x, x.Id) is { } row)
            {
                batch.Add(row);
                if (batch.Count == batch.Capacity)
                {
                    await live.ApplyAsync(batch).ConfigureAwait(false);
                    batch.Clear();
                }
            }
        }

        await live.ApplyAsync(batch).ConfigureAwait(false);
        return (live, through);
    }
}
