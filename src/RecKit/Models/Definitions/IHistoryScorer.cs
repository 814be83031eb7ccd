namespace RecKit.Models;

/// <summary>
/// A fitted model's live capability: scoring the whole catalogue for a history it was not fitted on (a user's items
/// as they are now, or a visitor's). Bound once per loaded model by its <see cref="IModelDefinition"/>, with the
/// options the model was trained with. Implementations are immutable and safe to call from many requests at once.
/// </summary>
public interface IHistoryScorer
{
    /// <param name="items">The history, ascending item indices.</param>
    /// <param name="weights">One positive weight per item (ratings, counts or feedback weights).</param>
    /// <param name="scores">At least ItemCount long; a score for every item.</param>
    void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> scores);
}

/// <summary>
/// A history scorer of a factor model that works by folding the history into a user vector: the vector can then be
/// sent to an item index (retrieval) instead of scoring every item.
/// </summary>
public interface IHistoryFolder : IHistoryScorer
{
    /// <summary>The factor model whose item side the folded vector is scored against.</summary>
    IFactorModel Model { get; }

    /// <summary>Writes the user vector (length Factors) for the history; the score offset of such a user is 0.</summary>
    void Fold(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> vector);
}

/// <summary>A model that has a non-personalised answer for a user it has no state for (a factor model's cold scores).</summary>
public interface IColdUserScores
{
    /// <summary>Writes the scores a user the model knows nothing about gets.</summary>
    void ScoreUnknownUser(Span<float> scores);
}
