namespace RecKit.Models;

/// <summary>Pairwise losses for implicit factorisation (d = score(positive) − score(negative)).</summary>
public enum ImplicitLoss
{
    /// <summary>−ln σ(d), the BPR paper's objective (design note 0's formula).</summary>
    Bpr,

    /// <summary>1 − σ(d), what Spotlight's bpr_loss computes.</summary>
    SpotlightBpr,

    /// <summary>max(0, 1 − pos + max over NegativeSamples negatives): Spotlight's adaptive hinge (WARP-like).</summary>
    AdaptiveHinge,
}

/// <summary>How the parameters are updated.</summary>
public enum ImplicitOptimizer
{
    /// <summary>Minibatches with Adam (lazy: only rows a batch touches move), as Spotlight trains.</summary>
    Adam,

    /// <summary>Lock-free parallel SGD, one sample at a time on every core (Hogwild): the fast path.</summary>
    Hogwild,
}

/// <summary>
/// Options of <see cref="BprTrainer"/>: 64 factors, item biases, uniform negatives, the BPR loss. The optimizer is
/// Hogwild SGD by default (learning rate 0.02, L2 1e-3, 60 epochs): as good as Adam on the catalogues measured
/// (MovieLens 100K, ml-latest-small, generated taste groups) at a twentieth of its cost per epoch. Adam keeps design
/// note 0's settings (Spotlight's ImplicitFactorizationModel: learning rate 1e-3, L2 1e-6, 20 epochs, batches of 1024).
/// </summary>
public sealed record BprOptions
{
    public int Factors { get; init; } = 64;

    /// <summary>Passes over the interactions; null: 60 for Hogwild, 20 for Adam.</summary>
    public int? Epochs { get; init; }

    public int BatchSize { get; init; } = 1024;

    /// <summary>Step size; null: 0.02 for Hogwild, 1e-3 for Adam.</summary>
    public double? LearningRate { get; init; }

    /// <summary>L2 penalty (the SGD penalty, or Adam's weight decay); null: 1e-3 for Hogwild, 1e-6 for Adam.</summary>
    public double? L2 { get; init; }

    public ImplicitLoss Loss { get; init; } = ImplicitLoss.Bpr;

    /// <summary>Default Hogwild: one thread is reproducible bit for bit, more are not (Adam gives the same model on any).</summary>
    public ImplicitOptimizer Optimizer { get; init; } = ImplicitOptimizer.Hogwild;

    /// <summary>Negatives drawn per positive for the adaptive hinge loss. Default 5.</summary>
    public int NegativeSamples { get; init; } = 5;

    /// <summary>Draw again (up to 10 times) a negative the user has interacted with. Default false (Spotlight does not).</summary>
    public bool RejectPositives { get; init; }

    /// <summary>Initial factors ~ N(0, InitStd²); null uses Spotlight's 1/Factors. Default null.</summary>
    public double? InitStd { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>
    /// Threads; null uses every core. Hogwild: 1 is bit-for-bit reproducible. Adam: the samples of a batch are taken on
    /// one thread and the parameter updates spread over the threads, so the model is the same for any thread count.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Served users whose history changed are folded in by this many SGD epochs over their items. Default 100.</summary>
    public int FoldInEpochs { get; init; } = 100;

    /// <summary>The fold-in's learning rate. Default 0.05.</summary>
    public double FoldInLearningRate { get; init; } = 0.05;

    /// <summary>The fold-in's L2 regularisation of the user vector. Default 0.01.</summary>
    public double FoldInL2 { get; init; } = 0.01;

    internal int EpochsOrDefault => Epochs ?? (Optimizer == ImplicitOptimizer.Adam ? 20 : 60);

    internal double LearningRateOrDefault => LearningRate ?? (Optimizer == ImplicitOptimizer.Adam ? 1e-3 : 0.02);

    internal double L2OrDefault => L2 ?? (Optimizer == ImplicitOptimizer.Adam ? 1e-6 : 1e-3);

    internal void Validate()
    {
        OptionCheck.AtLeast("bpr option", "foldInEpochs", FoldInEpochs, 1);
        OptionCheck.Positive("bpr option", "foldInLearningRate", FoldInLearningRate);
        OptionCheck.NonNegative("bpr option", "foldInL2", FoldInL2);
        OptionCheck.AtLeast("bpr option", "factors", Factors, 1);
        OptionCheck.AtLeast("bpr option", "epochs", EpochsOrDefault, 1);
        OptionCheck.AtLeast("bpr option", "batchSize", BatchSize, 1);
        OptionCheck.Positive("bpr option", "learningRate", LearningRateOrDefault);
        OptionCheck.NonNegative("bpr option", "l2", L2OrDefault);
        OptionCheck.Defined("bpr option", "loss", Loss);
        OptionCheck.Defined("bpr option", "optimizer", Optimizer);
        OptionCheck.AtLeast("bpr option", "negativeSamples", NegativeSamples, 1);
        OptionCheck.AtLeast("bpr option", "threads", Threads, 1);
        if (InitStd is { } std)
        {
            OptionCheck.Positive("bpr option", "initStd", std);
        }
    }
}
