using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tuning;

/// <summary>
/// Chooses ALS's confidence α and regularisation λ for a catalogue nobody tuned them on. The defaults (α 3, λ 30) were
/// tuned on MovieLens star ratings; play counts and large logs want far more confidence and more regularisation (a
/// generated log of 1.2M interactions ranked twice as well at α 40, λ 1000). A small grid spans that range: α 3, 12, 48,
/// each with λ at 3, 10 and 30 times α (the defaults are one point of it). Each fold holds out a fifth of every user's
/// interactions (its own seed); every pair is fitted on the rest with the configured factors and iterations and ranks the
/// held-out items; the pair with the best NDCG@10 summed over the folds is kept, ties to the earlier pair.
/// </summary>
public static class AlsWeightingChooser
{
    /// <summary>The pairs tried, in order: α ascending, then λ.</summary>
    public static IReadOnlyList<(double Alpha, double Regularization)> Candidates { get; } =
        [.. new[] { 3.0, 12.0, 48.0 }.SelectMany(alpha => new[] { 3.0, 10.0, 30.0 }.Select(ratio => (alpha, alpha * ratio)))];

    /// <param name="train">The data to choose on (the main job's base_train: the test part never helps choose).</param>
    /// <param name="options">Every other ALS option (factors, iterations, values, threads) as the run will use them.</param>
    /// <param name="folds">Held-out folds, each with its own seed.</param>
    /// <param name="relevance">Which held-out interactions count as relevant (null: all).</param>
    /// <param name="seed">Seed of the first fold.</param>
    /// <param name="evaluationUsers">Users ranked per fold (a seeded sample; null: all).</param>
    public static AlsWeightingChoice Choose(Interactions train, AlsOptions options, int folds = 2, float? relevance = null, int seed = 42, int? evaluationUsers = 5000, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var outcome = HeldOutFolds.Run(
            train,
            Candidates.Count,
            (part, c, fold) => new AlsTrainer(options with { Alpha = Candidates[c].Alpha, Regularization = Candidates[c].Regularization, Seed = options.Seed + fold })
                .Fit(part, new TrainingContext { Cancellation = cancellation }),
            folds,
            relevance,
            seed,
            evaluationUsers,
            cancellation);
        return new AlsWeightingChoice(Candidates[outcome.Best].Alpha, Candidates[outcome.Best].Regularization, Candidates, outcome.Ndcg, outcome.FoldChoices, outcome.Seconds);
    }
}
