using System.Globalization;

namespace RecKit.Models;

/// <summary>
/// A fit whose loss stopped being a finite number: the parameters are garbage from here on, so training stops
/// rather than write a model that recommends nothing. The message names the model, the epoch, the likely cause and
/// the setting to change.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException()
    {
    }

    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TrainingDivergedException(string model, int epoch, double loss, string remedy)
        : base(string.Create(CultureInfo.InvariantCulture, $"{model} diverged at epoch {epoch}: the loss is {loss}. {remedy} No model was written."))
    {
        Model = model;
        Epoch = epoch;
    }

    public string? Model { get; }

    public int Epoch { get; }
}
