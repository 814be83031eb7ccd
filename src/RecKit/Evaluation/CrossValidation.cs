using System.Diagnostics;
using RecKit.Data.Splits;
using RecKit.Models;

namespace RecKit.Evaluation;

/// <summary>
/// A model fitted and evaluated on each of several splits (k folds, or one split), with the one protocol of
/// <see cref="Evaluator"/>; its figures are averaged over the folds.
/// </summary>
public static class CrossValidation
{
    /// <param name="progress">Called after each fit and each evaluation (2 × folds steps in all).</param>
    public static ModelEvaluation Run(ModelSpec spec, IReadOnlyList<Split> splits, EvaluationOptions options, Action? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(splits);
        if (splits.Count == 0)
        {
            throw new ArgumentException("Cross-validation needs at least one split.", nameof(splits));
        }

        var folds = new List<EvaluationResult>(splits.Count);
        double fitSeconds = 0;
        foreach (var part in splits)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var model = spec.Fit(new ModelInputs(part.Train) { Context = new TrainingContext { Cancellation = cancellation } });
            fitSeconds += clock.Elapsed.TotalSeconds;
            progress?.Invoke();
            folds.Add(Evaluator.Evaluate(model, part.Train, part.Test, options));
            progress?.Invoke();
        }

        return ModelEvaluation.Average(spec.Name, folds, fitSeconds / splits.Count);
    }
}

/// <summary>A model's figures averaged over the folds it was evaluated on, with its mean fit time.</summary>
public sealed record ModelEvaluation(
    string Model,
    IReadOnlyDictionary<string, double> Metrics,
    int UsersEvaluated,
    int UsersWithoutRelevant,
    int ColdStartUsers,
    double FitSeconds,
    double EvaluationUsersPerSecond,
    IReadOnlyList<UserEvaluation>? PerUser)
{
    public static ModelEvaluation Average(string model, IReadOnlyList<EvaluationResult> folds, double fitSeconds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        var metrics = new Dictionary<string, double>();
        foreach (var name in folds[0].Metrics.Select(m => m.Name))
        {
            metrics[name] = folds.Average(f => f[name]);
        }

        return new ModelEvaluation(
            model,
            metrics,
            folds.Sum(f => f.UsersEvaluated) / folds.Count,
            folds.Sum(f => f.UsersWithoutRelevant) / folds.Count,
            folds.Sum(f => f.ColdStartUsers) / folds.Count,
            fitSeconds,
            folds.Average(f => f.UsersPerSecond),
            folds.Count == 1 ? folds[0].PerUser : null);
    }
}
