using RecKit.Data;
using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Serving;

/// <summary>
/// A base model as serving uses it: scores every item for a <see cref="LiveUser"/>. A user whose stored state is
/// current is scored by index, exactly as offline. Otherwise the model's live history scorer (bound at bundle load by
/// its definition, with the options it was trained with) scores the live history; a model without one falls back to
/// the stored user, its non-personalised answer for an unknown user (a factor model's cold scores), or NaN ("cannot
/// score", a feature of 0) for a user the bundle never saw.
/// </summary>
public sealed class LiveScorer(string name, IRecommender model, IHistoryScorer? history, IItemIndex? index = null, INewItemScorer? newItems = null)
{
    /// <summary>
    /// The scorer of a loaded model: its definition (by <paramref name="name"/>) reads the options it was trained with,
    /// once, and binds its live history scorer with them.
    /// </summary>
    /// <param name="indexFor">Builds the item index of a factor model (default: the exact index); retrieval goes through it.</param>
    public static LiveScorer Bind(string name, IRecommender model, System.Text.Json.Nodes.JsonObject? options, Func<IFactorModel, IItemIndex>? indexFor = null)
    {
        var definition = ModelDefinitions.Get(name);
        var index = model is IFactorModel factors ? (indexFor ?? (f => new ExactItemIndex(f.PackedItems)))(factors) : null;
        var typed = definition.ReadOptions(options);
        return new LiveScorer(name, model, definition.BindHistoryScorer(model, typed), index, definition.BindNewItemScorer(model, typed));
    }

    /// <summary>Whether this model scores items added since the bundle, from their features (content, two-tower).</summary>
    public bool ScoresNewItems => newItems is not null;

    /// <summary>The item feature columns new items must be given in (0 when <see cref="ScoresNewItems"/> is false).</summary>
    public int NewItemFeatureCount => newItems?.ItemFeatureCount ?? 0;

    /// <summary>
    /// Scores items added since the bundle (rows of their features in the bundle's item columns) for the user: from the
    /// stored state when it is current (or the model does not follow history), from the live history otherwise. False
    /// when the model cannot score new items or this user.
    /// </summary>
    public bool ScoreNewItems(LiveUser user, CsrMatrix items, Span<float> scores)
    {
        if (newItems is null)
        {
            return false;
        }

        var stored = user.UsesStoredState || (history is null && user.Index >= 0);
        return newItems.ScoreNewItems(stored ? user.Index : -1, user.History, items, scores);
    }

    /// <summary>The item index of a factor model (null for other models): top-k through it, not a scan of every score.</summary>
    public IItemIndex? Index => index;

    public string Name => name;

    public IRecommender Model => model;

    public int ItemCount => model.ItemCount;

    /// <summary>Whether this model's scores follow the live history (not only the bundle's).</summary>
    public bool FollowsHistory => history is not null;

    /// <summary>The history scorer when it folds a history into a factor vector (ALS, BPR), else null.</summary>
    public IHistoryFolder? Folder => history as IHistoryFolder;

    /// <summary>Writes a score for every item (NaN: cannot score).</summary>
    public void ScoreAll(LiveUser user, Span<float> scores)
    {
        if (user.UsesStoredState || (history is null && user.Index >= 0))
        {
            model.ScoreAll(user.Index, scores);
        }
        else if (history is IHistoryFolder folder && user.History.Length > 0)
        {
            FactorScoring.ScoreAll(Folded(user, folder), folder.Model.PackedItems, scores);
        }
        else if (history is not null)
        {
            history.ScoreHistory(user.History, user.Weights, scores);
        }
        else if (model is IColdUserScores cold)
        {
            cold.ScoreUnknownUser(scores);
        }
        else
        {
            scores[..model.ItemCount].Fill(float.NaN);
        }
    }

    /// <summary>
    /// What <see cref="ScoreAll"/> writes, as a lease that touched only the items the user's scores reach (item-kNN: the
    /// neighbours of their items), when the model's scores are sparse for this user; null otherwise (score them all).
    /// </summary>
    public SparseItemScores? ScoreSparse(LiveUser user)
    {
        if (user.UsesStoredState || (history is null && user.Index >= 0))
        {
            return model is ISparseScorer sparse ? sparse.ScoreSparse(user.Index) : null;
        }

        return history is ISparseHistoryScorer sparseHistory ? sparseHistory.ScoreSparse(user.History, user.Weights) : null;
    }

    /// <summary>
    /// Whether this user's top items come from an order sorted once: popularity, whose scores are its counts for every
    /// user it scores (the stored ones, and any history through its definition's history scorer).
    /// </summary>
    public bool RanksByOrder(LiveUser user) => model is PopularityModel && (history is not null || user.Index >= 0);

    /// <summary>The top <paramref name="k"/> by the sorted order (when <see cref="RanksByOrder"/>), the user's excluded items and <paramref name="allow"/>'s refusals left out.</summary>
    public (int[] Items, float[] Scores) OrderedTop(LiveUser user, int k, Func<int, bool>? allow) =>
        RanksByOrder(user) ? ((PopularityModel)model).Top(k, user.Excluded, allow) : throw new InvalidOperationException($"Model '{name}' has no sorted order for this user.");

    /// <summary>
    /// The user's query for <see cref="Index"/>: their stored vector and offset when the stored state is current (or the
    /// model cannot follow history), the vector folded from their live history otherwise (offset 0). False when this
    /// user is not scored by a dot product (a cold user, a two-tower blending new items): rank by <see cref="ScoreAll"/>.
    /// </summary>
    public bool TryQuery(LiveUser user, Span<float> vector, out float offset)
    {
        offset = 0;
        if (model is not IFactorModel factors)
        {
            return false;
        }

        if (user.UsesStoredState || (history is null && user.Index >= 0))
        {
            return factors.TryGetUserVector(user.Index, vector, out offset);
        }

        if (history is IHistoryFolder folder && user.History.Length > 0)
        {
            Folded(user, folder).CopyTo(vector);
            return true;
        }

        return false;
    }

    /// <summary>The user's folded vector: from the live state's cache (folded once per change), or folded now.</summary>
    private float[] Folded(LiveUser user, IHistoryFolder folder)
    {
        float[] Fold()
        {
            var vector = new float[folder.Model.Factors];
            folder.Fold(user.History, user.Weights, vector);
            return vector;
        }

        return user.Folds is { } cache ? cache.GetOrFold(name, Fold) : Fold();
    }

    /// <summary>
    /// A rating model and a user it was trained on: the features are predicted ratings (as <see cref="Ranking.MetaFeatures"/>
    /// computes them offline), written into <paramref name="values"/>; false otherwise.
    /// </summary>
    private bool PredictRatings(LiveUser user, ReadOnlySpan<int> items, Span<float> values)
    {
        if (model is not IRatingPredictor { PredictsRatings: true } predictor || user.Index < 0)
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
            model.Score(user.Index, items, values);
            return;
        }

        ScoreAll(user, scratch.AsSpan(0, ItemCount));
        FeatureValues(user, items, scratch.AsSpan(0, ItemCount), values);
    }

    /// <summary>
    /// The feature values of these items for a user whose query vector (<see cref="TryQuery"/>) retrieved them from the
    /// index: predicted ratings for a rating model and a user it knows, else query · item + offset, the model's score.
    /// </summary>
    public void QueryValues(LiveUser user, ReadOnlySpan<float> query, float offset, ReadOnlySpan<int> items, Span<float> values)
    {
        if (PredictRatings(user, items, values))
        {
            return;
        }

        var factors = model as IFactorModel ?? throw new InvalidOperationException($"Model '{name}' is not a factor model; it has no query vector.");
        factors.PackedItems.ScoreItems(query, items, values, offset);
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
