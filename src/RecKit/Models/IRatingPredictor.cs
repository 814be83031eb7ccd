namespace RecKit.Models;

/// <summary>A model that predicts a rating on the training scale (for RMSE and MAE).</summary>
public interface IRatingPredictor
{
    /// <summary>False for a model that could predict but was not trained on ratings (implicit data); RMSE then means nothing.</summary>
    bool PredictsRatings => true;

    float PredictRating(int user, int item);
}
