using Orleans.Runtime;
using RecKit.Serving;

namespace RecKit.Cluster;

/// <summary>
/// A silo's <see cref="IRolloutGate"/>: with the new bundle loaded and verified, it tells the rollout grain so every
/// quarter second until the grain answers that the cluster switches (every active silo ready, or the bound passed). If
/// the grain cannot be reached for twice the bound, the silo switches anyway: a rollout never holds a verified bundle back
/// for good.
/// </summary>
public sealed class ClusterRolloutGate(IGrainFactory grains, ILocalSiloDetails silo, TimeSpan bound) : IRolloutGate
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public async Task WhenClusterReadyAsync(string version)
    {
        var rollout = grains.GetGrain<IRolloutGrain>("bundles");
        var me = silo.SiloAddress.ToParsableString();
        var deadline = DateTimeOffset.UtcNow + bound + bound;
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                if (await rollout.ReadyAsync(version, me, bound).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // the grain's silo is gone: the next call activates it elsewhere
            }

            await Task.Delay(Poll).ConfigureAwait(false);
        }
    }
}
