namespace RecKit.Ranking;

/// <summary>
/// A learned ranking stack on LightGBM's XE-NDCG objective (Bruch et al., "An Alternative Cross Entropy Loss for
/// Learning-to-Rank", 2019: a listwise cross entropy whose minimum bounds NDCG, per user group like LambdaMART) with
/// linear trees (each leaf a ridge regression on the features split on above it, so scores move with the base models'
/// scores instead of stepping). Trained through LightGBM's own C API (ML.NET exposes neither); compiled into
/// <see cref="CompiledTrees"/> for scoring and bundles. On the meta-split configs it ranked at or above LambdaMART and
/// the logistic stack where LambdaMART had fallen below the latter (README, Stacks).
/// </summary>
public sealed class XeNdcgStack : ITreeEnsemble
{
    /// <summary>LightGBM's linear_lambda: the ridge penalty of each leaf's linear model.</summary>
    public const double LinearLeafL2 = 1.0;

    private readonly CompiledTrees _trees;

    private XeNdcgStack(CompiledTrees trees) => _trees = trees;

    public string Name => "XeNdcgStack";

    public string Kind => "xendcg";

    public IReadOnlyList<(string Feature, double Importance)> Importances => _trees.Importances;

    /// <summary>Fits on the training set's rows, one query group per run of rows with the same group (a user's candidates).</summary>
    public static XeNdcgStack Fit(StackTrainingSet set, int seed = 42, int trees = 300, int leaves = 7, double learningRate = 0.05, int minRowsPerLeaf = 50, double leafL2 = 30)
    {
        ArgumentNullException.ThrowIfNull(set);
        var width = set.FeatureNames.Count;
        using var booster = NativeLightGbm.Train(set.Rows, set.Count, width, set.Labels, GroupSizes(set.Groups, set.Count), Parameters(seed, leaves, learningRate, minRowsPerLeaf, leafL2), trees);
        var gains = booster.Gains();
        var importances = set.FeatureNames.Select((n, f) => (n, gains[f])).ToList();
        return new XeNdcgStack(LightGbmModelText.Compile(booster.ModelText(), "XeNdcgStack", width, importances));
    }

    /// <summary>LightGBM's parameters: one thread and its deterministic mode, so a run is reproducible bit for bit.</summary>
    internal static string Parameters(int seed, int leaves, double learningRate, int minRowsPerLeaf, double leafL2) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"objective=rank_xendcg linear_tree=true linear_lambda={LinearLeafL2} num_leaves={leaves} learning_rate={learningRate} min_data_in_leaf={minRowsPerLeaf} lambda_l2={leafL2} seed={seed} num_threads=1 deterministic=true verbosity=-1");

    /// <summary>Lengths of the runs of equal group ids: LightGBM's query sizes.</summary>
    internal static int[] GroupSizes(uint[] groups, int count)
    {
        var sizes = new List<int>();
        for (var r = 0; r < count; r++)
        {
            if (r == 0 || groups[r] != groups[r - 1])
            {
                sizes.Add(0);
            }

            sizes[^1]++;
        }

        return [.. sizes];
    }

    public float[] Predict(float[] rows, int count) => _trees.Predict(rows, count);

    public CompiledTrees Compile() => _trees;
}
