namespace RecKit.Evaluation;

/// <summary>One named figure of an evaluation ("NDCG@10", "RMSE", ...).</summary>
public readonly record struct Metric(string Name, double Value);

/// <summary>One user's figures, in the order of <see cref="EvaluationResult.Metrics"/>' ranking metrics.</summary>
public sealed record UserEvaluation(int User, int Relevant, IReadOnlyList<Metric> Metrics);

/// <summary>The figures of one model on one test set, and who they were averaged over.</summary>
public sealed record EvaluationResult
{
    /// <summary>Averages over evaluated users (ranking) and over predicted test ratings (RMSE, MAE), in a stable order.</summary>
    public required IReadOnlyList<Metric> Metrics { get; init; }

    /// <summary>Users whose figures are averaged (they had at least one relevant test item).</summary>
    public int UsersEvaluated { get; init; }

    /// <summary>Users with test interactions but no relevant one; left out of the averages.</summary>
    public int UsersWithoutRelevant { get; init; }

    /// <summary>Evaluated users with no training interaction (scored by the model's fallback).</summary>
    public int ColdStartUsers { get; init; }

    /// <summary>Relevant test items that no training interaction mentions.</summary>
    public int ColdStartItems { get; init; }

    /// <summary>Test ratings behind RMSE and MAE (0 when the model predicts no ratings).</summary>
    public int RatingsPredicted { get; init; }

    public IReadOnlyList<UserEvaluation>? PerUser { get; init; }

    public TimeSpan Elapsed { get; init; }

    public double UsersPerSecond => Elapsed.TotalSeconds > 0 ? UsersEvaluated / Elapsed.TotalSeconds : 0;

    /// <summary>The value of a metric by name; throws naming the metrics that exist when it is absent.</summary>
    public double this[string name] =>
        Metrics.FirstOrDefault(m => m.Name == name) is { Name: not null } m
            ? m.Value
            : throw new KeyNotFoundException($"No metric '{name}' (have: {string.Join(", ", Metrics.Select(x => x.Name))}).");

    public bool TryGet(string name, out double value)
    {
        foreach (var m in Metrics)
        {
            if (m.Name == name)
            {
                value = m.Value;
                return true;
            }
        }

        value = double.NaN;
        return false;
    }
}
