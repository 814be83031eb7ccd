using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tuning;

/// <summary>
/// Chooses how many neighbours item-kNN keeps per item for a catalogue nobody tuned it on. Few neighbours suit dense,
/// clustered tastes (each item's closest few say it all), many suit sparse logs where an item's few strong neighbours
/// miss most of what its users go on to choose. Each fold holds out a fifth of every user's interactions (its own seed);
/// item-kNN with every count (the other options as configured) ranks the held-out items; the count with the best NDCG@10
/// summed over the folds is kept, ties to the smaller count.
/// </summary>
public static class ItemKnnNeighboursChooser
{
    /// <summary>The counts tried, ascending (the default, 100, among them).</summary>
    public static IReadOnlyList<int> Candidates { get; } = [20, 50, 100, 200, 400];

    /// <param name="train">The data to choose on (the main job's base_train: the test part never helps choose).</param>
    /// <param name="options">Every other item-kNN option (weighting, shrinkage, threads) as the run will use them.</param>
    /// <param name="folds">Held-out folds, each with its own seed.</param>
    /// <param name="relevance">Which held-out interactions count as relevant (null: all).</param>
    /// <param name="seed">Seed of the first fold.</param>
    /// <param name="evaluationUsers">Users ranked per fold (a seeded sample; null: all).</param>
    public static ItemKnnNeighboursChoice Choose(Interactions train, ItemKnnOptions options, int folds = 2, float? relevance = null, int seed = 42, int? evaluationUsers = 5000, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var outcome = HeldOutFolds.Run(
            train,
            Candidates.Count,
            (part, c, _) => new ItemKnnTrainer(options with { Neighbours = Candidates[c] }).Fit(part, new TrainingContext { Cancellation = cancellation }),
            folds,
            relevance,
            seed,
            evaluationUsers,
            cancellation);
        return new ItemKnnNeighboursChoice(Candidates[outcome.Best], Candidates, outcome.Ndcg, outcome.FoldChoices, outcome.Seconds);
    }
}
