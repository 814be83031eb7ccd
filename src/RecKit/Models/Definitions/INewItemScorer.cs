using RecKit.Data;

namespace RecKit.Models;

/// <summary>
/// A fitted model's capability to score items it was never trained on from their features alone: items added to the
/// catalogue while the service runs, before any retrain. Bound once per loaded model by its <see cref="IModelDefinition"/>
/// with the options it was trained with (a content model's weighting, the two-tower's feature normalisation), so a new
/// item is scored exactly as an item of the training catalogue with the same features and no interactions would be.
/// Immutable and safe to call from many requests at once.
/// </summary>
public interface INewItemScorer
{
    /// <summary>How many item feature columns the model was fitted with: the rows given must use these columns.</summary>
    int ItemFeatureCount { get; }

    /// <param name="user">A user the model was trained on (its index), or −1 to score for <paramref name="history"/>.</param>
    /// <param name="history">The user's items now (ascending indices of the training catalogue); read when <paramref name="user"/> is −1.</param>
    /// <param name="items">New items × the item feature columns, raw as the catalogue encodes them.</param>
    /// <param name="scores">One score per row of <paramref name="items"/>.</param>
    /// <returns>False when the model cannot score this user (then <paramref name="scores"/> is left as it is).</returns>
    bool ScoreNewItems(int user, ReadOnlySpan<int> history, CsrMatrix items, Span<float> scores);
}
