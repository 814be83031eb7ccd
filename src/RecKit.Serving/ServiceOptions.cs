namespace RecKit.Serving;

/// <summary>Settings of the online service (reckit serve), validated before it starts.</summary>
public sealed record ServiceOptions
{
    /// <summary>The bundle root (bundles/ with current). Required.</summary>
    public string BundleRoot { get; init; } = "bundles";

    /// <summary>The interaction store (SQLite file). Default interactions.db inside the bundle root.</summary>
    public string? Database { get; init; }

    public FeedbackTypes FeedbackTypes { get; init; } = FeedbackTypes.Default;

    /// <summary>An A/B experiment; null: every user gets the bundle's default variant.</summary>
    public Experiment? Experiment { get; init; }

    /// <summary>Largest k a request may ask for. Default 100.</summary>
    public int MaxK { get; init; } = 100;

    /// <summary>Most interactions in one ingest request. Default 1,000.</summary>
    public int MaxBatch { get; init; } = 1000;

    public string DatabasePath => Database ?? Path.Combine(BundleRoot, "interactions.db");

    public void Validate()
    {
        OptionCheck.AtLeast("serve setting", "maxK", MaxK, 1);
        OptionCheck.AtLeast("serve setting", "maxBatch", MaxBatch, 1);
        FeedbackTypes.Validate();
        Experiment?.Validate();
        if (!Directory.Exists(BundleRoot))
        {
            throw new ArgumentException($"serve setting 'bundleRoot': {Path.GetFullPath(BundleRoot)} does not exist; the main job writes bundles under its output folder.");
        }
    }
}
