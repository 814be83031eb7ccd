namespace RecKit.Ranking;

/// <summary>Settings of <see cref="StackExperiment"/> (design note 3 §§5–8), each with its default.</summary>
public sealed record StackExperimentOptions
{
    /// <summary>
    /// A rating at or above this is a positive (y = 1) and a relevant test item; null makes every held-out interaction
    /// one (play counts, clicks, purchases). Default 4.0.
    /// </summary>
    public float? Threshold { get; init; } = 4f;

    /// <summary>Cut-offs of the report. Default [10].</summary>
    public IReadOnlyList<int> Ks { get; init; } = [10];

    /// <summary>Candidate sources by base-model name (or "popularity") and how many items each adds. Default item-kNN 100, ALS 100, popularity 50, genre 30 (a missing source is skipped).</summary>
    public IReadOnlyList<(string Source, int Size)> Candidates { get; init; } = [("itemknn", 100), ("als", 100), ("popularity", 50), ("genre", 30)];

    /// <summary>
    /// When set, <see cref="Candidates"/> is ignored: every base model and popularity is a source, and the sizes are
    /// chosen by <see cref="CandidatePlanner"/> (marginal recall on meta_train) to sum to at most this. Default null.
    /// </summary>
    public int? CandidateBudget { get; init; }

    /// <summary>The four base scores SimpleAverage4 averages. Default bias, item-kNN, MF, genre.</summary>
    public IReadOnlyList<string> AverageOf { get; init; } = ["bias", "itemknn", "mf", "genre"];

    /// <summary>Trees, leaves and step of the LightGBM stacks. Defaults 300, 7, 0.05: small trees (31 leaves overfitted the meta rows: LambdaMART on ml-latest-small 0.283 against 0.302 at 7).</summary>
    public int Trees { get; init; } = 300;

    public int Leaves { get; init; } = 7;

    public double TreeLearningRate { get; init; } = 0.05;

    /// <summary>
    /// L2 penalty on LambdaMART's leaf values (LightGBM's lambda_l2; its default is 0.01). Default 30: lambdarank's
    /// second derivatives are small, so on a few hundred users' groups the leaves took large steps on little evidence.
    /// NDCG@10, seeds 1 / 2 / 3: ml-latest-small 0.3024 / 0.2980 / 0.3029 at 0.01 against 0.3014 / 0.3033 / 0.3122 at 30,
    /// MovieLens 100K 0.3823 / 0.3836 / 0.3778 against 0.3852 / 0.3928 / 0.3890.
    /// </summary>
    public double LambdaMartL2 { get; init; } = 30;

    /// <summary>L2 penalty of the logistic stack. Default 1.</summary>
    public double LogisticL2 { get; init; } = 1;

    /// <summary>
    /// Score test candidates with base models refitted on train_full (true) or with the base_train models that
    /// produced the meta model's training features (false). Default true.
    /// </summary>
    public bool RefitBaseModelsForTest { get; init; } = true;

    public int Seed { get; init; } = 42;

    /// <summary>
    /// Evaluate every model on at most this many test users, one seeded sample for all (null: every test user). The
    /// metrics are then estimates over the sample, paired across models. Default null.
    /// </summary>
    public int? EvaluationUsers { get; init; }

    /// <summary>Train the meta models on the candidates of at most this many meta_train users per meta split, a seeded sample (null: all). Default null.</summary>
    public int? MetaUsers { get; init; }

    /// <summary>
    /// How many base_train / meta_train splits of train_full give the meta models their rows: the split given to <see
    /// cref="StackExperiment.Run"/>, then each further one carved again from train_full (<see cref="MetaFraction"/>, a
    /// seed of its own) with the base models refitted on its base part, its rows added to the meta models' training set
    /// (more users and more groups for LambdaMART; the same planned candidate sizes). Default 1.
    /// </summary>
    public int MetaSplits { get; init; } = 1;

    /// <summary>The share of train_full each further meta split holds out (per user, or per item with <see cref="PerItemMetaSplits"/>). Default 0.2.</summary>
    public double MetaFraction { get; init; } = 0.2;

    /// <summary>Carve the further meta splits within each item's interactions rather than each user's. Default false.</summary>
    public bool PerItemMetaSplits { get; init; }

    /// <summary>
    /// Also evaluate the candidates ranked by item index alone (a meta model that scores every candidate alike): the
    /// floor a learned stack must clear to show that its scores, not the candidate pool, do the ranking. Default false.
    /// </summary>
    public bool IncludeCandidateBaseline { get; init; }

    /// <summary>Also measure the logistic and XE-NDCG stacks fitted on test rows (<see cref="StackCeiling"/>): a diagnostic for benches, which learns from test labels. Default false.</summary>
    internal bool MeasureCeiling { get; init; }
}
