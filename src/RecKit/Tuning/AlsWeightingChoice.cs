using RecKit.Models;

namespace RecKit.Tuning;

/// <summary>
/// ALS's confidence α and regularisation λ chosen on held-out interactions of the training data: the pair kept, the pairs
/// tried, NDCG@10 per fold and pair (Ndcg[fold][pair]), and the pair each fold alone would have kept (the choice's spread
/// across seeds).
/// </summary>
public sealed record AlsWeightingChoice(
    double Alpha,
    double Regularization,
    IReadOnlyList<(double Alpha, double Regularization)> Candidates,
    IReadOnlyList<double[]> Ndcg,
    IReadOnlyList<int> FoldChoices,
    double Seconds)
{
    /// <summary>Mean NDCG@10 over the folds of each candidate pair.</summary>
    public IReadOnlyList<double> MeanNdcg => HeldOutChoice.Mean(Ndcg, Candidates.Count);
}
