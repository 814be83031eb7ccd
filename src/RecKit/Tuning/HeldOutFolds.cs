using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;

namespace RecKit.Tuning;

/// <summary>
/// The folds every automatic choice of a model setting is judged on (ALS's weighting, item-kNN's neighbours): each fold
/// holds out a fifth of every user's interactions (its own seed), each candidate is fitted on the rest and ranks the
/// held-out items; the candidate with the best NDCG@10 summed over the folds is kept, ties to the earlier.
/// </summary>
internal static class HeldOutFolds
{
    /// <summary>NDCG@10 per fold and candidate (Ndcg[fold][candidate]), the candidate kept, each fold's own best, and the seconds it took.</summary>
    public sealed record Outcome(double[][] Ndcg, int Best, int[] FoldChoices, double Seconds);

    /// <param name="fit">Fits candidate c on a fold's training part; the fold's index is given for seeding.</param>
    public static Outcome Run(Interactions train, int candidates, Func<Interactions, int, int, IRecommender> fit, int folds, float? relevance, int seed, int? evaluationUsers, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ndcg = new double[folds][];
        for (var fold = 0; fold < folds; fold++)
        {
            ndcg[fold] = new double[candidates];
            var part = Splitter.PerUser(train, 0.2, seed + fold);
            var evaluation = new EvaluationOptions { Ks = [10], ComputeAuc = false, RelevanceThreshold = relevance, SampleUsers = evaluationUsers, Seed = seed + fold };
            for (var c = 0; c < candidates; c++)
            {
                cancellation.ThrowIfCancellationRequested();
                ndcg[fold][c] = Evaluator.Evaluate(fit(part.Train, c, fold), part.Train, part.Test, evaluation)["NDCG@10"];
            }
        }

        var (best, foldChoices) = HeldOutChoice.Pick(ndcg);
        return new Outcome(ndcg, best, foldChoices, clock.Elapsed.TotalSeconds);
    }
}
