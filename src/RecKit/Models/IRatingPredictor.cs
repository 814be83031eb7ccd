namespace RecKit.Models;

/// <summary>A model that predicts a rating on the training scale (for RMSE and MAE).</summary>
public interface IRatingPredictor
{
    float PredictRating(int user, int item);
}
