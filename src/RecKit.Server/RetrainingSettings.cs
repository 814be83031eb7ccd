namespace RecKit.Server;

/// <summary>
/// When the service retrains itself (serve.retraining): every <see cref="EveryHours"/>, or once
/// <see cref="AfterInteractions"/> were ingested since the serving bundle, whichever comes first; one retrain at a
/// time, in a child process (`reckit retrain`, or <see cref="Command"/>), so that a retrain that fails or runs out of
/// memory never touches the serving process or its bundle. Both 0 (the default): only by hand.
/// </summary>
public sealed record RetrainingSettings
{
    /// <summary>Hours between retrains (0: no schedule).</summary>
    public double EveryHours { get; init; }

    /// <summary>Retrain once this many interactions were ingested since the serving bundle (0: no threshold).</summary>
    public long AfterInteractions { get; init; }

    /// <summary>
    /// The bound on live memory: the interactions held since the serving bundle never stay above this for long,
    /// because reaching it starts a retrain (with retraining off: a warning in the log and reckit_live_backlog_over_cap
    /// at 1). Measured (bench live-memory): 33 bytes of managed heap per interaction plus about 385 per user with
    /// anything live; resident memory grew by 120 bytes per interaction at 10 per user. Default 5,000,000 (about
    /// 0.6 GB resident at that mix); 0: no bound.
    /// </summary>
    public long MaxLiveInteractions { get; init; } = 5_000_000;

    /// <summary>How often the conditions are checked, in seconds. Default 30.</summary>
    public double CheckSeconds { get; init; } = 30;

    /// <summary>
    /// The retrain command and its arguments; the service adds --bundle-root, --db, its feedback types and, when it has
    /// one, --config. Null: the reckit command line that runs this server (reckit serve); RecKit.Server.dll started on
    /// its own must name one (e.g. ["dotnet", "/opt/reckit/reckit.dll", "retrain"]).
    /// </summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Whether the service retrains by itself.</summary>
    public bool Enabled => EveryHours > 0 || AfterInteractions > 0;

    public void Validate()
    {
        if (!double.IsFinite(EveryHours) || EveryHours < 0)
        {
            throw new ArgumentException($"setting 'serve.retraining.everyHours' must be 0 (off) or more; it is {EveryHours}.");
        }

        if (AfterInteractions < 0 || MaxLiveInteractions < 0)
        {
            throw new ArgumentException("settings 'serve.retraining.afterInteractions' and 'maxLiveInteractions' must be 0 (off) or more.");
        }

        if (!double.IsFinite(CheckSeconds) || CheckSeconds < 0.1)
        {
            throw new ArgumentException($"setting 'serve.retraining.checkSeconds' must be at least 0.1; it is {CheckSeconds}.");
        }

        if (Command is { Count: 0 })
        {
            throw new ArgumentException("setting 'serve.retraining.command' is empty: name the program and its arguments, or leave it out for this reckit.");
        }
    }
}
