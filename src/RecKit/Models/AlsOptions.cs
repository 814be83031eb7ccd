using RecKit.Kernels;

namespace RecKit.Models;

/// <summary>How each least-squares step of ALS is solved.</summary>
public enum AlsSolver
{
    /// <summary>A few conjugate-gradient steps warm-started from the current factors (fast; the usual choice).</summary>
    ConjugateGradient,

    /// <summary>Form the k×k system and solve it exactly by Cholesky (slower, exact).</summary>
    Cholesky,
}

/// <summary>Options of <see cref="AlsTrainer"/> (Hu, Koren, Volinsky 2008), with documented defaults.</summary>
public sealed record AlsOptions
{
    /// <summary>Latent factors. Default 64.</summary>
    public int Factors { get; init; } = 64;

    /// <summary>L2 penalty λ. Default 30 (tuned on MovieLens 100K; scale it with the data).</summary>
    public double Regularization { get; init; } = 30;

    /// <summary>Confidence c = 1 + α·value. Default 3.</summary>
    public double Alpha { get; init; } = 3;

    /// <summary>Alternating sweeps (users then items). Default 15.</summary>
    public int Iterations { get; init; } = 15;

    /// <summary>Conjugate-gradient steps per solve. Default 3.</summary>
    public int CgSteps { get; init; } = 3;

    public AlsSolver Solver { get; init; } = AlsSolver.ConjugateGradient;

    /// <summary>
    /// Use the interaction values (play counts, clicks) in the confidence; false treats every interaction as 1.
    /// Default false: on star ratings the value says little about confidence (MovieLens 100K ranks better without).
    /// </summary>
    public bool UseValues { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Threads; null uses every core. The result does not depend on it (every solve is independent).</summary>
    public int? Threads { get; init; }

    /// <summary>The extra confidence α·r of a row's entries (α each when the values are ignored): the one rule the trainer,
    /// its loss and fold-in all use.</summary>
    internal Confidence ConfidenceOf(ReadOnlySpan<float> values) => new(UseValues ? values : default, (float)Alpha);

    internal void Validate()
    {
        OptionCheck.AtLeast("als option", "factors", Factors, 1);
        OptionCheck.NonNegative("als option", "regularization", Regularization);
        OptionCheck.NonNegative("als option", "alpha", Alpha);
        OptionCheck.AtLeast("als option", "iterations", Iterations, 1);
        OptionCheck.AtLeast("als option", "cgSteps", CgSteps, 1);
        OptionCheck.Defined("als option", "solver", Solver);
        OptionCheck.AtLeast("als option", "threads", Threads, 1);
    }
}
