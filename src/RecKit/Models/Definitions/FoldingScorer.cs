namespace RecKit.Models;

/// <summary>
/// The live scorer of a factor model that folds a history into a user vector (ALS's exact solve, BPR's SGD): the
/// vector scored against every item, or handed to an item index. An empty history gets the model's cold scores.
/// </summary>
internal sealed class FoldingScorer(LatentFactorModel model, FoldingScorer.FoldFunction fold) : IHistoryFolder
{
    public delegate float[] FoldFunction(ReadOnlySpan<int> items, ReadOnlySpan<float> weights);

    public IFactorModel Model => model;

    public void Fold(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> vector) => fold(items, weights).CopyTo(vector);

    public void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> scores)
    {
        if (items.IsEmpty)
        {
            model.ColdScores.CopyTo(scores);
            return;
        }

        model.ScoreVector(fold(items, weights), scores);
    }
}
