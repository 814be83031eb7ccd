namespace RecKit.Training;

/// <summary>How <see cref="TrainingMonitor"/> validates, checkpoints and stops a fit.</summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>Validation metric to maximise, as the evaluator names it. Default "Recall@10" (seed 002).</summary>
    public string Metric { get; init; } = "Recall@10";

    /// <summary>Epochs without improvement before stopping; 0 never stops early. Default 3.</summary>
    public int Patience { get; init; } = 3;

    /// <summary>Smallest gain that counts as improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>Users sampled (seeded) for the per-epoch validation. Default 100 (seed 002).</summary>
    public int SampleUsers { get; init; } = 100;

    public int Seed { get; init; } = 42;

    /// <summary>Checkpoint written after every epoch; null writes none. Default "models/model.ckpt".</summary>
    public string? CheckpointPath { get; init; } = Path.Combine("models", "model.ckpt");

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
