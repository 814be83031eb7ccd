namespace RecKit.Serving;

/// <summary>
/// Where a host that loaded and verified a new bundle waits before it swaps: on one node, nowhere (no gate); in a
/// cluster, until every silo has that version ready or a stated bound has passed, so that the cluster switches
/// together and a silo that cannot load the bundle keeps the old one without holding the others back for long.
/// </summary>
public interface IRolloutGate
{
    /// <summary>Completes when this process may start serving <paramref name="version"/>, which it holds loaded and verified.</summary>
    Task WhenClusterReadyAsync(string version);
}
