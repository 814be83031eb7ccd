namespace RecKit.Models;

/// <summary>How a sampled negative item is drawn.</summary>
public enum NegativeSampling
{
    /// <summary>Every item equally likely.</summary>
    Uniform,

    /// <summary>Items in proportion to their interactions.</summary>
    Popularity,
}

/// <summary>How the two towers are fitted.</summary>
public enum TwoTowerSolver
{
    /// <summary>
    /// Alternating least squares over every (user, item) pair, each tower output regularised towards its features'
    /// embedding, which is refitted by ridge regression each sweep (<see cref="TwoTowerLeastSquares"/>).
    /// </summary>
    Als,

    /// <summary>Stochastic gradient descent on sampled items, with the <see cref="TwoTowerOptions.Loss"/>.</summary>
    Sgd,
}

/// <summary>What the two-tower is trained to do with the SGD solver.</summary>
public enum TwoTowerLoss
{
    /// <summary>Rank each positive above one sampled negative: −ln σ(s_ui − s_uj).</summary>
    Bpr,

    /// <summary>
    /// Pick each positive out of itself and <see cref="TwoTowerOptions.Negatives"/> sampled items shared by a batch of
    /// positives: −s_ui + ln Σ exp(s_uj), an estimate of the softmax over the whole catalogue. Every step pushes down many
    /// items at once, as ALS's all-items objective does, where BPR pushes down one.
    /// </summary>
    SampledSoftmax,
}

/// <summary>Options of <see cref="TwoTowerTrainer"/>, with documented defaults.</summary>
public sealed record TwoTowerOptions
{
    /// <summary>Embedding size of both towers. Default 64.</summary>
    public int Factors { get; init; } = 64;

    /// <summary>How the towers are fitted. Default Als.</summary>
    public TwoTowerSolver Solver { get; init; } = TwoTowerSolver.Als;

    /// <summary>Alternating sweeps (ALS; default 15) or passes over the training interactions (SGD; default 30).</summary>
    public int? Epochs { get; init; }

    /// <summary>The epochs actually run: <see cref="Epochs"/> or the solver's default.</summary>
    internal int EpochsOrDefault => Epochs ?? (Solver == TwoTowerSolver.Als ? 15 : 30);

    /// <summary>
    /// The training objective of the SGD solver. Default Bpr. SampledSoftmax ranks better with a lower learning rate
    /// (ml-latest-small, train_full NDCG@10: 0.232 at learningRate 0.01 against BPR's 0.201 at 0.05) at several times the cost.
    /// </summary>
    public TwoTowerLoss Loss { get; init; } = TwoTowerLoss.Bpr;

    /// <summary>Sampled negatives shared by a batch of positives (SampledSoftmax). Default 128.</summary>
    public int Negatives { get; init; } = 128;

    /// <summary>Positives that share one set of negatives (SampledSoftmax). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>SGD: step size. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>
    /// L2 penalty: λ of the least squares, pulling each tower output towards its features' embedding (ALS; default 30,
    /// as ALS's), or the penalty on the parameters an SGD step touches (default 1e-4).
    /// </summary>
    public double? Regularization { get; init; }

    /// <summary>The penalty actually used: <see cref="Regularization"/> or the solver's default.</summary>
    internal double RegularizationOrDefault => Regularization ?? (Solver == TwoTowerSolver.Als ? 30 : 1e-4);

    /// <summary>ALS: confidence c = 1 + α·value of an observed pair (α each when values are not used). Default 3.</summary>
    public double Alpha { get; init; } = 3;

    /// <summary>ALS: use the interaction values (counts, after the catalogue's transform) in the confidence. Default false.</summary>
    public bool UseValues { get; init; }

    /// <summary>ALS: ridge ρ of the feature embeddings' regression, (XᵀX + ρI) F = XᵀE. Default 1.</summary>
    public double FeatureRegularization { get; init; } = 1;

    /// <summary>Standard deviation of the initial weights. Default 0.05.</summary>
    public double InitStd { get; init; } = 0.05;

    /// <summary>Use ID embeddings (false: features only, a pure content two-tower). Default true.</summary>
    public bool UseIds { get; init; } = true;

    /// <summary>SGD: sampled negatives that are known positives of the user are drawn again (up to 10 tries). Default true.</summary>
    public bool RejectPositives { get; init; } = true;

    /// <summary>
    /// SGD: share of training steps in which the item tower drops its ID embedding, so that the feature embeddings
    /// learn to stand alone — what scores an item no one has interacted with. Default 0.5.
    /// </summary>
    public double ItemIdDropout { get; init; } = 0.5;

    /// <summary>
    /// Scale each user's and item's feature row to sum to 1 in absolute value (as LightFM advises), so that an item with
    /// five genres is not embedded five times as far out as one with a single genre. Default true.
    /// </summary>
    public bool NormalizeFeatures { get; init; } = true;

    /// <summary>
    /// Give the user tower the user's history as features too: the mean feature row of the items the user interacted
    /// with, embedded by its own table. The tower then learns which item features go with which (a learned
    /// generalisation of the content model's cosine), and that is what reaches an item no one has interacted with yet.
    /// Default false: on ml-latest-small it cost warm-item NDCG@10 (0.20 → 0.15; the profile holds each positive it
    /// is trained on, and training stops early), while on the music demo it raised warm NDCG@10 (0.225 → 0.244) and
    /// left cold items level.
    /// </summary>
    public bool HistoryFeatures { get; init; }

    /// <summary>SGD: lower the learning rate linearly to zero over the epochs. Default true.</summary>
    public bool LearningRateDecay { get; init; } = true;

    /// <summary>
    /// SGD: how the negatives of the steps that drop item IDs are drawn. Uniform (default) lets the feature embeddings learn
    /// which kinds of items are popular; Popularity (in proportion to interactions) cancels popularity out of them, so
    /// they learn taste alone — better when a new item's popularity owes nothing to its features.
    /// </summary>
    public NegativeSampling FeatureStepNegatives { get; init; } = NegativeSampling.Uniform;

    /// <summary>
    /// Give items without interactions a content channel: the cosine between the user's feature profile and the item,
    /// mapped onto the towers' own scores for such items and blended in with <see cref="ContentWeight"/>. Default true.
    /// </summary>
    public bool ContentChannel { get; init; } = true;

    /// <summary>
    /// The content channel's blend weight in [0, 1] (0: the towers alone, 1: the mapped cosine alone). Default 0.5: on
    /// cold items (NDCG@10, mean over 3–5 seeds) ml-latest-small 0.069 against 0.051 for the towers alone and 0.067 for
    /// the cosine, ml-100k 0.150 against 0.111 and 0.069, the music demo 0.323 against 0.309 and 0.322; 0.75 did better
    /// on ml-latest-small (0.074) and worse on ml-100k (0.104).
    /// </summary>
    public double ContentWeight { get; init; } = 0.5;

    /// <summary>
    /// Choose the content weight on a fifth of the training items held out as if new (a second fit) instead of using
    /// <see cref="ContentWeight"/>. Default false: that choice proved noisier than the fixed default on the catalogues above.
    /// </summary>
    public bool TuneContentWeight { get; init; }

    /// <summary>
    /// Held-out item sets (each with its own seed and a fit of the towers) the content weight is chosen over, when it is
    /// chosen. Default 3: one set chose differently from seed to seed on ml-latest-small.
    /// </summary>
    public int ContentWeightFolds { get; init; } = 3;

    /// <summary>
    /// What counts as relevant when the content channel's weight is chosen: interactions with a value at or above this
    /// (ratings), or every interaction when null (counts, clicks). The main job sets it from the catalogue. Default null.
    /// </summary>
    public float? RelevanceThreshold { get; init; }

    public int Seed { get; init; } = 42;

    internal void Validate()
    {
        OptionCheck.AtLeast("two-tower option", "factors", Factors, 1);
        OptionCheck.AtLeast("two-tower option", "epochs", EpochsOrDefault, 1);
        OptionCheck.Positive("two-tower option", "learningRate", LearningRate);
        OptionCheck.NonNegative("two-tower option", "regularization", RegularizationOrDefault);
        OptionCheck.NonNegative("two-tower option", "alpha", Alpha);
        OptionCheck.Positive("two-tower option", "featureRegularization", FeatureRegularization);
        if (Solver == TwoTowerSolver.Als && !UseIds)
        {
            throw new ArgumentException("two-tower option 'useIds' false (features only) needs 'solver' Sgd: the ALS solver fits a free output per user and item.");
        }

        OptionCheck.Positive("two-tower option", "initStd", InitStd);
        OptionCheck.Within("two-tower option", "itemIdDropout", ItemIdDropout, 0, 1);
        OptionCheck.AtLeast("two-tower option", "negatives", Negatives, 1);
        OptionCheck.Within("two-tower option", "contentWeight", ContentWeight, 0, 1);
        OptionCheck.AtLeast("two-tower option", "contentWeightFolds", ContentWeightFolds, 1);

        OptionCheck.AtLeast("two-tower option", "batchSize", BatchSize, 1);
    }
}
