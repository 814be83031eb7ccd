using RecKit.Data;

namespace RecKit.Models;

/// <summary>
/// Holds validated hyper-parameters and fits a new, immutable model on training interactions.
/// A trainer keeps no state between calls: the same trainer fits any number of models.
/// </summary>
public interface ITrainer<out TModel>
    where TModel : IRecommender
{
    TModel Fit(Interactions train, TrainingContext? context = null);
}
