using RecKit.Serving;

namespace RecKit.Server;

/// <summary>
/// The server's settings, from configuration section "RecKit" (appsettings, environment RECKIT__..., or command-line
/// --RecKit:Key=value; reckit serve fills them from its options). Every one has a documented default.
/// </summary>
public sealed record ServerSettings
{
    public const string Section = "RecKit";

    /// <summary>Folder of bundles with "current" (reckit run writes out/bundles). Default "bundles".</summary>
    public string BundleRoot { get; init; } = "bundles";

    /// <summary>SQLite interaction store. Default BUNDLEROOT/interactions.db.</summary>
    public string? Database { get; init; }

    /// <summary>A PostgreSQL connection string (Npgsql's form, e.g. Host=db;Username=reckit;Database=reckit): the interaction store lives there instead of the SQLite file. Put the password in the environment (RECKIT__POSTGRES).</summary>
    public string? Postgres { get; init; }

    /// <summary>API key for /admin (header X-Api-Key); null: admin endpoints answer 401.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Require the API key for ingest too (POST /v1/interactions, feedback). Default false.</summary>
    public bool RequireKeyForIngest { get; init; }

    /// <summary>How often "current" is checked for a new bundle, in seconds (0: only POST /admin/reload). Default 2.</summary>
    public double ReloadPollSeconds { get; init; } = 2;

    /// <summary>Largest request body in bytes. Default 1 MiB (a batch of 1,000 interactions is about 100 KB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;

    /// <summary>Requests per second per client address (token bucket, burst of the same size); 0: no limit. Default 20,000.</summary>
    public int RateLimitPerSecond { get; init; } = 20_000;

    /// <summary>Largest k. Default 100.</summary>
    public int MaxK { get; init; } = 100;

    /// <summary>Most interactions or items in one request. Default 1,000.</summary>
    public int MaxBatch { get; init; } = 1000;

    /// <summary>Feedback types and weights (negative: never recommend again); null: the defaults of <see cref="FeedbackTypes.Default"/>.</summary>
    public Dictionary<string, double>? FeedbackTypes { get; init; }

    /// <summary>An A/B experiment (name, salt, arms of name, variant and weight); null: none.</summary>
    public Experiment? Experiment { get; init; }

    /// <summary>Retraining by the service itself: on a schedule, after a number of interactions, and the bound on live memory.</summary>
    public RetrainingSettings Retraining { get; init; } = new();

    /// <summary>Cluster mode: this process is an Orleans silo too; off by default.</summary>
    public ClusterSettings Cluster { get; init; } = new();

    /// <summary>The dashboard: on by default, open on loopback, a read key for anyone else.</summary>
    public DashboardSettings Dashboard { get; init; } = new();

    public ServiceOptions ToServiceOptions() => new()
    {
        BundleRoot = BundleRoot,
        Database = Database,
        Postgres = Postgres,
        MaxK = MaxK,
        MaxBatch = MaxBatch,
        FeedbackTypes = FeedbackTypes is null ? RecKit.Serving.FeedbackTypes.Default : new RecKit.Serving.FeedbackTypes { Weights = FeedbackTypes, DefaultType = FeedbackTypes.ContainsKey("interaction") ? "interaction" : FeedbackTypes.Keys.First() },
        Experiment = Experiment,
    };

    public void Validate()
    {
        OptionCheck.AtLeast("serve setting", "maxRequestBodyBytes", (int)Math.Min(MaxRequestBodyBytes, int.MaxValue), 1024);
        OptionCheck.AtLeast("serve setting", "rateLimitPerSecond", RateLimitPerSecond, 0);
        if (!double.IsFinite(ReloadPollSeconds) || ReloadPollSeconds < 0)
        {
            throw new ArgumentException($"serve setting 'reloadPollSeconds' must be 0 or more; it is {ReloadPollSeconds}.");
        }

        Retraining.Validate();
        Dashboard.Validate();
        Cluster.Validate(Postgres);
        ToServiceOptions().Validate();
    }
}
