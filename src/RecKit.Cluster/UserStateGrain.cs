namespace RecKit.Cluster;

/// <summary>
/// The user grain: the interactions ingested for one user since the scope's bundle, kept in memory by the silo that
/// activated it and filled from the store on activation (so a grain lost with its silo comes back whole elsewhere). Orleans runs one call at a time per grain, so no locks: an apply and a read never interleave. Ids
/// already held are skipped, so an interaction delivered twice (a retried call, a replay overlapping a live apply)
/// counts once.
/// </summary>
/// <remarks>
/// Placed on the silo that first calls it: only silos serving the scope's bundle call its grains, so the silo that fills
/// a grain from the store always holds that bundle, also while a rollout is part way (a silo past the bound on a new
/// version, the others still on the old one).
/// </remarks>
[Orleans.Placement.PreferLocalPlacement]
internal sealed class UserStateGrain(IServiceProvider services) : Grain, IUserStateGrain
{
    private readonly Dictionary<int, float> _positives = [];
    private readonly HashSet<int> _negatives = [];
    private readonly HashSet<long> _ids = [];
    private long _version;
    private UserDelta? _sorted;

    /// <summary>Fills the grain from the store (through the silo's <see cref="IUserStateSource"/>, when it has one).</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(IUserStateSource)) is IUserStateSource source)
        {
            var key = this.GetPrimaryKeyString();
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            // Grain code stays on the grain's scheduler (one call at a time): never ConfigureAwait(false) here.
            var entries = await source.LoadAsync(key[..slash], key[(slash + 1)..]).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            await ApplyAsync([.. entries]).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        await base.OnActivateAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    public Task<int> ApplyAsync(LiveEntry[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var added = 0;
        foreach (var entry in entries)
        {
            if (!_ids.Add(entry.Id))
            {
                continue;
            }

            if (entry.Weight < 0)
            {
                _negatives.Add(entry.Item);
            }
            else
            {
                _positives[entry.Item] = _positives.GetValueOrDefault(entry.Item) + entry.Weight;
            }

            added++;
        }

        if (added > 0)
        {
            _version++;
            _sorted = null;
        }

        return Task.FromResult(added);
    }

    public Task<UserDelta> GetAsync()
    {
        if (_ids.Count == 0)
        {
            return Task.FromResult(UserDelta.Empty);
        }

        if (_sorted is null)
        {
            var items = _positives.Keys.Order().ToArray();
            _sorted = new UserDelta(_version, items, Array.ConvertAll(items, i => _positives[i]), [.. _negatives.Order()], _ids.Count);
        }

        return Task.FromResult(_sorted);
    }

    public Task<int> EraseAsync()
    {
        var held = _ids.Count;
        _positives.Clear();
        _negatives.Clear();
        _ids.Clear();
        _version++;
        _sorted = null;
        return Task.FromResult(held);
    }
}
