using RecKit.Data;

namespace RecKit.Models;

/// <summary>
/// How a trainer that chooses a setting on held-out data of its own (the two-tower's content weight, when asked to
/// tune it) measures a candidate: NDCG@k of a model on test interactions, each user's ranking restricted to
/// <c>onlyItems</c> when given. The evaluation layer implements it (RecKit.Evaluation.EvaluatorJudge) and callers hand
/// it in through <see cref="ModelInputs.Judge"/>, so that models do not depend on evaluation.
/// </summary>
public interface IHeldOutJudge
{
    double Ndcg(IRecommender model, Interactions train, Interactions test, IReadOnlySet<int>? onlyItems, int k, float? relevance, int seed);
}
