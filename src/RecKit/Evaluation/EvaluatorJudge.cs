using RecKit.Data;
using RecKit.Models;

namespace RecKit.Evaluation;

/// <summary>The held-out judge of trainers that tune a setting: <see cref="Evaluator"/>'s NDCG@k, the one protocol.</summary>
public sealed class EvaluatorJudge : IHeldOutJudge
{
    public static EvaluatorJudge Instance { get; } = new();

    public double Ndcg(IRecommender model, Interactions train, Interactions test, IReadOnlySet<int>? onlyItems, int k, float? relevance, int seed)
    {
        var options = new EvaluationOptions { Ks = [k], RelevanceThreshold = relevance, ComputeAuc = false, Seed = seed };
        var ranked = onlyItems is null ? model : new ItemSubsetRecommender(model, onlyItems);
        return Evaluator.Evaluate(ranked, train, test, options)[$"NDCG@{k}"];
    }
}
