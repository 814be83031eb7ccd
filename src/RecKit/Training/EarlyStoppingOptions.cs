namespace RecKit.Training;

/// <summary>How <see cref="TrainingMonitor"/> validates, checkpoints and stops a fit.</summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>Validation metric to maximise, as the evaluator names it. Default "Recall@10" (design note 2).</summary>
    public string Metric { get; init; } = "Recall@10";

    /// <summary>
    /// Epochs without improvement before stopping; 0 never stops early. Default 5: a learning-rate schedule or Adam's
    /// warm-up can stall the metric for a few epochs before it climbs again.
    /// </summary>
    public int Patience { get; init; } = 5;

    /// <summary>Smallest gain that counts as improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// Users sampled (seeded) for the per-epoch validation. Default 1000: design note 2's 100 users made Recall@10 so noisy
    /// that a lucky early epoch was kept; scoring 1000 users costs little beside an epoch.
    /// </summary>
    public int SampleUsers { get; init; } = 1000;

    public int Seed { get; init; } = 42;

    /// <summary>Checkpoint written after every epoch; null writes none. Default null (`reckit train` uses models/NAME.ckpt).</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Where the best model so far is kept; null keeps it only in memory. Default null.</summary>
    public string? BestModelPath { get; init; }

    /// <summary>Relevance threshold of the validation evaluation (null: every held-out item is relevant).</summary>
    public float? RelevanceThreshold { get; init; }

    internal void Validate()
    {
        OptionCheck.AtLeast("early stopping option", "patience", Patience, 0);
        OptionCheck.NonNegative("early stopping option", "minDelta", MinDelta);
        OptionCheck.AtLeast("early stopping option", "sampleUsers", SampleUsers, 1);
    }
}
