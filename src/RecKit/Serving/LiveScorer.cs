using System.Text.Json.Nodes;
using RecKit.Models;

namespace RecKit.Serving;

/// <summary>
/// A base model as serving uses it: scores every item for a <see cref="LiveUser"/>. A user whose stored state is
/// current is scored by index, exactly as offline. Otherwise the model scores from the live history where it can:
/// ALS refolds the user's factors exactly, BPR by a few SGD steps, item-kNN and the content model read the history
/// directly, popularity needs nothing; other models (bias, MF, EASE, the two-tower) fall back to the stored user, or
/// NaN ("cannot score", a feature of 0) for a user the bundle never saw.
/// </summary>
public sealed class LiveScorer
{
    private readonly IRecommender _model;
    private readonly AlsFoldIn? _alsFoldIn;
    private readonly string _name;

    public LiveScorer(string name, IRecommender model, JsonObject? options)
    {
        _name = name;
        _model = model;
        if (name == "als" && model is LatentFactorModel factors)
        {
            _alsFoldIn = new AlsFoldIn(factors, ModelCatalog.ReadOptionsFor<AlsOptions>("als", options));
        }
    }

    public string Name => _name;

    public IRecommender Model => _model;

    public int ItemCount => _model.ItemCount;

    /// <summary>Whether this model's scores follow the live history (not only the bundle's).</summary>
    public bool FollowsHistory => _model is ItemKnnModel or ContentModel or PopularityModel || _alsFoldIn is not null || _name == "bpr";

    /// <summary>Writes a score for every item (NaN: cannot score).</summary>
    public void ScoreAll(LiveUser user, Span<float> scores)
    {
        if (user.UsesStoredState || (!FollowsHistory && user.Index >= 0))
        {
            _model.ScoreAll(user.Index, scores);
            return;
        }

        switch (_model)
        {
            case PopularityModel popularity:
                popularity.ScoreAll(0, scores);
                return;
            case ItemKnnModel knn:
                knn.ScoreHistory(user.History, scores);
                return;
            case ContentModel content:
                content.ScoreHistory(user.History, scores);
                return;
            case LatentFactorModel factors when user.History.Length > 0 && (_alsFoldIn is not null || _name == "bpr"):
                var vector = _alsFoldIn is not null ? _alsFoldIn.Solve(user.History, user.Weights) : BprTrainer.FoldIn(factors, user.History);
                factors.ScoreVector(vector, scores);
                return;
            case LatentFactorModel factors:
                factors.ColdScores.CopyTo(scores);
                return;
            default:
                scores[.._model.ItemCount].Fill(float.NaN);
                return;
        }
    }

    /// <summary>
    /// A rating model and a user it was trained on: the features are predicted ratings (as <see cref="Ranking.MetaFeatures"/>
    /// computes them offline), written into <paramref name="values"/>; false otherwise.
    /// </summary>
    private bool PredictRatings(LiveUser user, ReadOnlySpan<int> items, Span<float> values)
    {
        if (_model is not IRatingPredictor { PredictsRatings: true } predictor || user.Index < 0)
        {
            return false;
        }

        for (var j = 0; j < items.Length; j++)
        {
            values[j] = predictor.PredictRating(user.Index, items[j]);
        }

        return true;
    }

    /// <summary>
    /// The value the stack's features use for these items, without a whole-catalogue pass when the stored state is
    /// current (a few hundred candidates cost far less than scoring every item); <paramref name="scratch"/> (at least
    /// ItemCount long) is used otherwise.
    /// </summary>
    public void ScoreCandidates(LiveUser user, ReadOnlySpan<int> items, Span<float> values, float[] scratch)
    {
        if (PredictRatings(user, items, values))
        {
            return;
        }

        if (user.Index >= 0 && (user.UsesStoredState || !FollowsHistory))
        {
            _model.Score(user.Index, items, values);
            return;
        }

        ScoreAll(user, scratch.AsSpan(0, ItemCount));
        FeatureValues(user, items, scratch.AsSpan(0, ItemCount), values);
    }

    /// <summary>
    /// The value the stack's features use for these items: the predicted rating for a rating model and a user it
    /// knows (as <see cref="Ranking.MetaFeatures"/> does offline), otherwise the score already computed by <see cref="ScoreAll"/>.
    /// </summary>
    public void FeatureValues(LiveUser user, ReadOnlySpan<int> items, ReadOnlySpan<float> allScores, Span<float> values)
    {
        if (PredictRatings(user, items, values))
        {
            return;
        }

        for (var j = 0; j < items.Length; j++)
        {
            values[j] = allScores[items[j]];
        }
    }
}
