namespace RecKit.Server;

/// <summary>
/// The dashboard under /dashboard (serve.dashboard): on by default; open to clients on this machine (loopback) and closed
/// to every other client unless <see cref="ReadKey"/> is set, which any client then gives once on the sign-in page. Every
/// action that changes state (hide, reload, retrain) needs the service's API key whatever this says.
/// </summary>
public sealed record DashboardSettings
{
    /// <summary>Serve the dashboard. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The key that opens the dashboard to any client (and is then needed from loopback too); null: loopback only.</summary>
    public string? ReadKey { get; init; }

    /// <summary>Require <see cref="ReadKey"/> on loopback too (a machine shared by several people). Default false.</summary>
    public bool KeyOnLoopback { get; init; }

    public void Validate()
    {
        if (ReadKey is { Length: < 8 })
        {
            throw new ArgumentException("serve setting 'dashboard.readKey' must be at least 8 characters.");
        }

        if (KeyOnLoopback && ReadKey is null)
        {
            throw new ArgumentException("serve setting 'dashboard.keyOnLoopback' needs 'dashboard.readKey'.");
        }
    }
}
