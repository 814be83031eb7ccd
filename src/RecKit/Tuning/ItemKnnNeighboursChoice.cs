using RecKit.Models;

namespace RecKit.Tuning;

/// <summary>
/// Item-kNN's neighbours per item chosen on held-out interactions of the training data: the count kept, the counts tried,
/// NDCG@10 per fold and count (Ndcg[fold][count]), and the count each fold alone would have kept (the choice's spread).
/// </summary>
public sealed record ItemKnnNeighboursChoice(
    int Neighbours,
    IReadOnlyList<int> Candidates,
    IReadOnlyList<double[]> Ndcg,
    IReadOnlyList<int> FoldChoices,
    double Seconds)
{
    /// <summary>Mean NDCG@10 over the folds of each count.</summary>
    public IReadOnlyList<double> MeanNdcg => HeldOutChoice.Mean(Ndcg, Candidates.Count);
}
