using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace RecKit.Ranking;

/// <summary>
/// Gradient-boosted tree stacks through LightGBM (ML.NET's Microsoft.ML.LightGbm): GBStack with the binary
/// objective (design note 3 §6.3) and the LambdaMART stack with the lambdarank objective, rows grouped per user
/// (§10.3). IDataView stays inside this class. Importances are LightGBM's split gains.
/// </summary>
public sealed class LightGbmStack : ITreeEnsemble
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly int _features;
    private readonly TreeEnsembleModelParametersBasedOnRegressionTree? _trees;

    private LightGbmStack(string name, MLContext ml, ITransformer model, int features, IReadOnlyList<(string, double)> importances, TreeEnsembleModelParametersBasedOnRegressionTree? trees = null)
    {
        _trees = trees;
        Name = name;
        _ml = ml;
        _model = model;
        _features = features;
        Importances = importances;
    }

    public string Name { get; }

    public IReadOnlyList<(string Feature, double Importance)> Importances { get; }

    /// <param name="leafL2">LambdaMART's L2 penalty on leaf values (LightGBM's lambda_l2); GBStack keeps LightGBM's default.</param>
    public static LightGbmStack Fit(StackTrainingSet set, bool lambdaRank, int seed = 42, int trees = 300, int leaves = 7, double learningRate = 0.05, int minRowsPerLeaf = 50, double leafL2 = 0.01)
    {
        var ml = new MLContext(seed);
        var d = set.FeatureNames.Count;
        var data = Load(ml, set.Rows, set.Labels, set.Groups, set.Count, d);
        double[] gains;
        ITransformer model;
        TreeEnsembleModelParametersBasedOnRegressionTree ensemble;
        if (lambdaRank)
        {
            var pipeline = ml.Transforms.Conversion.MapValueToKey("GroupKey", "Group")
                .Append(ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
                {
                    LabelColumnName = "Label",
                    FeatureColumnName = "Features",
                    RowGroupColumnName = "GroupKey",
                    NumberOfIterations = trees,
                    NumberOfLeaves = leaves,
                    LearningRate = learningRate,
                    MinimumExampleCountPerLeaf = minRowsPerLeaf,
                    Seed = seed,
                    NumberOfThreads = 1,
                    Booster = new GradientBooster.Options { L2Regularization = leafL2 },
                }));
            var fitted = pipeline.Fit(data);
            model = fitted;
            gains = Gains(fitted.LastTransformer.Model, d);
            ensemble = fitted.LastTransformer.Model;
        }
        else
        {
            var fitted = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = "BoolLabel",
                FeatureColumnName = "Features",
                NumberOfIterations = trees,
                NumberOfLeaves = leaves,
                LearningRate = learningRate,
                MinimumExampleCountPerLeaf = minRowsPerLeaf,
                Seed = seed,
                NumberOfThreads = 1,
            }).Fit(data);
            model = fitted;
            gains = Gains(fitted.Model.SubModel, d);
            ensemble = fitted.Model.SubModel;
        }

        var importances = set.FeatureNames.Select((n, f) => (n, gains[f])).ToList();
        return new LightGbmStack(lambdaRank ? "LambdaMARTStack" : "GBStack", ml, model, d, importances, ensemble);
    }

    /// <summary>lambdamart for the LambdaMART stack (ranking objective), gbdt for GBStack (binary).</summary>
    public string Kind => Name == "LambdaMARTStack" ? "lambdamart" : "gbdt";

    /// <summary>The trees as flat arrays (<see cref="CompiledTrees"/>): the same raw scores, without ML.NET's per-call cost.</summary>
    public CompiledTrees Compile()
    {
        var ensemble = (_trees ?? throw new InvalidOperationException("Only a stack fitted in this process can be compiled.")).TrainedTreeEnsemble;
        int[] treeStart = new int[ensemble.Trees.Count + 1], leafStart = new int[ensemble.Trees.Count + 1];
        List<int> feature = [], left = [], right = [];
        List<float> threshold = [];
        List<double> leaves = [];
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c))
            {
                throw new InvalidOperationException("A tree splits on a categorical feature; the stack's features are all numeric.");
            }

            feature.AddRange(tree.NumericalSplitFeatureIndexes);
            threshold.AddRange(tree.NumericalSplitThresholds);
            left.AddRange(tree.LeftChild);
            right.AddRange(tree.RightChild);
            leaves.AddRange(tree.LeafValues);
            treeStart[t + 1] = feature.Count;
            leafStart[t + 1] = leaves.Count;
        }

        return new CompiledTrees(Name, _features, treeStart, leafStart, [.. feature], [.. threshold], [.. left], [.. right], [.. leaves], [.. ensemble.TreeWeights], ensemble.Bias, Importances);
    }

    public float[] Predict(float[] rows, int count)
    {
        var data = Load(_ml, rows, new float[count], new uint[count], count, _features);
        return _model.Transform(data).GetColumn<float>("Score").ToArray();
    }

    private static double[] Gains(TreeEnsembleModelParametersBasedOnRegressionTree model, int d)
    {
        var weights = default(VBuffer<float>);
        model.GetFeatureWeights(ref weights);
        var dense = new double[d];
        foreach (var (index, value) in weights.Items())
        {
            dense[index] = value;
        }

        return dense;
    }

    private static IDataView Load(MLContext ml, float[] rows, float[] labels, uint[] groups, int count, int d)
    {
        var items = new Row[count];
        for (var r = 0; r < count; r++)
        {
            items[r] = new Row { Label = labels[r], BoolLabel = labels[r] > 0.5f, Group = groups[r] + 1, Features = rows.AsSpan(r * d, d).ToArray() };
        }

        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return ml.Data.LoadFromEnumerable(items, schema);
    }

    private sealed class Row
    {
        public float Label { get; set; }

        public bool BoolLabel { get; set; }

        public uint Group { get; set; }

        public float[] Features { get; set; } = [];
    }
}
