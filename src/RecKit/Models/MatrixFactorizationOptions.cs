namespace RecKit.Models;

/// <summary>
/// Options of <see cref="MatrixFactorizationTrainer"/> (explicit ratings, r̂ = μ + b_u + b_i + p_uᵀq_i).
/// Defaults were chosen by 5-fold cross-validation on MovieLens 100K with folds of seed 7 and are reported on
/// folds of seed 42 (bench project: cv-ml100k). <see cref="SvdPlusPlus"/> holds the tuned SVD++ setting.
/// </summary>
public sealed record MatrixFactorizationOptions
{
    /// <summary>Latent factors. Default 150.</summary>
    public int Factors { get; init; } = 150;

    /// <summary>Passes over the ratings. Default 150.</summary>
    public int Epochs { get; init; } = 150;

    /// <summary>Initial SGD step. Default 0.007.</summary>
    public double LearningRate { get; init; } = 0.007;

    /// <summary>Step multiplier applied after each epoch. Default 0.985.</summary>
    public double LearningRateDecay { get; init; } = 0.985;

    /// <summary>L2 penalty on factors. Default 0.07.</summary>
    public double Regularization { get; init; } = 0.07;

    /// <summary>L2 penalty on biases. Default 0.01.</summary>
    public double BiasRegularization { get; init; } = 0.01;

    /// <summary>Standard deviation of the initial factors. Default 0.01.</summary>
    public double InitStd { get; init; } = 0.01;

    /// <summary>Add the SVD++ implicit term |N(u)|^-½ Σ y_j to the user vector. Default false.</summary>
    public bool UseImplicitTerm { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Threads for lock-free (Hogwild) SGD; null uses every core; 1 is bit-for-bit reproducible.</summary>
    public int? Threads { get; init; }

    /// <summary>SVD++ as tuned the same way: 100 factors, 50 epochs, step 0.007 decaying by 0.95, L2 0.05.</summary>
    public static MatrixFactorizationOptions SvdPlusPlus { get; } = new()
    {
        UseImplicitTerm = true,
        Factors = 100,
        Epochs = 50,
        LearningRate = 0.007,
        LearningRateDecay = 0.95,
        Regularization = 0.05,
        InitStd = 0.05,
    };

    internal void Validate()
    {
        OptionCheck.AtLeast("mf option", "factors", Factors, 1);
        OptionCheck.AtLeast("mf option", "epochs", Epochs, 1);
        OptionCheck.Positive("mf option", "learningRate", LearningRate);
        OptionCheck.Positive("mf option", "learningRateDecay", LearningRateDecay);
        OptionCheck.NonNegative("mf option", "regularization", Regularization);
        OptionCheck.NonNegative("mf option", "biasRegularization", BiasRegularization);
        OptionCheck.Positive("mf option", "initStd", InitStd);
        OptionCheck.AtLeast("mf option", "threads", Threads, 1);
    }
}
