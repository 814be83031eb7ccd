namespace RecKit.Serving;

/// <summary>Settings of the online service (reckit serve), validated before it starts.</summary>
public sealed record ServiceOptions
{
    /// <summary>The bundle root (bundles/ with current). Required.</summary>
    public string BundleRoot { get; init; } = "bundles";

    /// <summary>The interaction store (SQLite file). Default interactions.db inside the bundle root.</summary>
    public string? Database { get; init; }

    /// <summary>A PostgreSQL connection string (Npgsql's form): the store then lives there, shared by a cluster, and <see cref="Database"/> is not used.</summary>
    public string? Postgres { get; init; }

    public FeedbackTypes FeedbackTypes { get; init; } = FeedbackTypes.Default;

    /// <summary>An A/B experiment; null: every user gets the bundle's default variant.</summary>
    public Experiment? Experiment { get; init; }

    /// <summary>Largest k a request may ask for. Default 100.</summary>
    public int MaxK { get; init; } = 100;

    /// <summary>Most interactions in one ingest request. Default 1,000.</summary>
    public int MaxBatch { get; init; } = 1000;

    public string DatabasePath => Database ?? Path.Combine(BundleRoot, "interactions.db");

    /// <summary>Whether the store already exists (a PostgreSQL store always counts: it is created on open).</summary>
    public bool StoreExists => Postgres is not null || File.Exists(DatabasePath);

    /// <summary>Opens the configured store: PostgreSQL when <see cref="Postgres"/> is set, else the SQLite file.</summary>
    public IInteractionStore OpenStore() =>
        Postgres is { } connection ? PostgresInteractionStore.Open(connection) : SqliteInteractionStore.Open(DatabasePath);

    public void Validate()
    {
        OptionCheck.AtLeast("serve setting", "maxK", MaxK, 1);
        OptionCheck.AtLeast("serve setting", "maxBatch", MaxBatch, 1);
        FeedbackTypes.Validate();
        Experiment?.Validate();
        if (Postgres is { } connection)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"serve setting 'postgres' is not a PostgreSQL connection string: {ex.Message}", ex);
            }
        }

        if (!Directory.Exists(BundleRoot))
        {
            throw new ArgumentException($"serve setting 'bundleRoot': {Path.GetFullPath(BundleRoot)} does not exist; the main job writes bundles under its output folder.");
        }
    }
}
