namespace RecKit.Models;

/// <summary>
/// The two-tower's content weight chosen on held-out items: the weight, the candidates tried, NDCG@10 per fold and
/// candidate (Ndcg[fold][candidate]), and the weight each fold alone would have chosen (the choice's spread across seeds).
/// </summary>
public sealed record ContentWeightChoice(float Weight, IReadOnlyList<float> Candidates, IReadOnlyList<double[]> Ndcg, IReadOnlyList<float> FoldChoices)
{
    /// <summary>Mean NDCG@10 over the folds of each candidate weight.</summary>
    public IReadOnlyList<double> MeanNdcg => HeldOutChoice.Mean(Ndcg, Candidates.Count);
}
