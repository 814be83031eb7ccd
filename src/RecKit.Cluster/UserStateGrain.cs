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
    private readonly UserHistory _history = new();

    /// <summary>Fills the grain from the store (through the silo's <see cref="IUserStateSource"/>, when it has one).</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(IUserStateSource)) is IUserStateSource source)
        {
            var key = this.GetPrimaryKeyString();
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            // Grain code stays on the grain's scheduler (one call at a time): never ConfigureAwait(false) here.
            var entries = await source.LoadAsync(key[..slash], key[(slash + 1)..]).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            _history.Apply(entries);
        }

        await base.OnActivateAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    public Task<int> ApplyAsync(LiveEntry[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Task.FromResult(_history.Apply(entries));
    }

    public Task<UserDelta> GetAsync() => Task.FromResult(_history.Delta());

    public Task<int> EraseAsync() => Task.FromResult(_history.Clear());
}
