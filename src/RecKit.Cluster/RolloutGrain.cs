using Orleans.Runtime;

namespace RecKit.Cluster;

/// <summary>
/// Counts, per version, the silos that hold it ready, against the silos membership says are active. Its state is only
/// what silos keep telling it (they ask again until told to switch), so a rollout grain lost with its silo comes back
/// right on the next calls.
/// </summary>
internal sealed class RolloutGrain : Grain, IRolloutGrain
{
    private readonly Dictionary<string, (DateTimeOffset First, HashSet<string> Silos)> _ready = new(StringComparer.Ordinal);

    public async Task<bool> ReadyAsync(string version, string silo, TimeSpan bound)
    {
        if (!_ready.TryGetValue(version, out var entry))
        {
            entry = (DateTimeOffset.UtcNow, new HashSet<string>(StringComparer.Ordinal));
            _ready[version] = entry;
        }

        entry.Silos.Add(silo);
        if (DateTimeOffset.UtcNow - entry.First >= bound)
        {
            return true;
        }

        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        return hosts.Keys.All(h => entry.Silos.Contains(h.ToParsableString()));
    }
}
