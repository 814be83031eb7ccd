namespace RecKit.Evaluation;

/// <summary>How <see cref="Evaluator"/> evaluates; every default is the protocol of DESIGN.md.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Cut-offs for the @K metrics. Default [10].</summary>
    public IReadOnlyList<int> Ks { get; init; } = [10];

    /// <summary>
    /// A test interaction is relevant when its value ≥ this. Null makes every test interaction relevant
    /// (implicit data). Default null; explicit data normally uses 4.0.
    /// </summary>
    public float? RelevanceThreshold { get; init; }

    /// <summary>Exclude each user's training items from the ranking. Default true.</summary>
    public bool ExcludeTrainingItems { get; init; } = true;

    /// <summary>Evaluate only this many users, drawn with <see cref="Seed"/> from those with a relevant test item. Default all.</summary>
    public int? SampleUsers { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Compute per-user AUC (costs a sort of each user's scores). Default true.</summary>
    public bool ComputeAuc { get; init; } = true;

    /// <summary>Keep each user's figures in the result. Default false.</summary>
    public bool KeepPerUser { get; init; }

    /// <summary>Threads to use; null uses every core.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Told how many users are done (every few hundred, from any thread); null: nothing is told.</summary>
    public IProgress<RecKit.Models.TrainingProgress>? Progress { get; init; }

    internal void Validate()
    {
        if (Ks.Count == 0 || Ks.Any(k => k < 1))
        {
            throw new ArgumentException("Every K must be ≥ 1, and at least one K is needed.");
        }

        if (SampleUsers is < 1)
        {
            throw new ArgumentException("SampleUsers must be ≥ 1 when given.");
        }
    }
}
