using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace RecKit.Ranking;

/// <summary>
/// Gradient-boosted tree stacks through LightGBM (ML.NET's Microsoft.ML.LightGbm): GBStack with the binary
/// objective (seed 003 §6.3) and the LambdaMART stack with the lambdarank objective, rows grouped per user
/// (§10.3). IDataView stays inside this class. Importances are LightGBM's split gains.
/// </summary>
public sealed class LightGbmStack : IMetaModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly int _features;

    private LightGbmStack(string name, MLContext ml, ITransformer model, int features, IReadOnlyList<(string, double)> importances)
    {
        Name = name;
        _ml = ml;
        _model = model;
        _features = features;
        Importances = importances;
    }

    public string Name { get; }

    public IReadOnlyList<(string Feature, double Importance)> Importances { get; }

    public static LightGbmStack Fit(StackTrainingSet set, bool lambdaRank, int seed = 42, int trees = 200, int leaves = 31, double learningRate = 0.05, int minRowsPerLeaf = 50)
    {
        var ml = new MLContext(seed);
        var d = set.FeatureNames.Count;
        var data = Load(ml, set.Rows, set.Labels, set.Groups, set.Count, d);
        double[] gains;
        ITransformer model;
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
                }));
            var fitted = pipeline.Fit(data);
            model = fitted;
            gains = Gains(fitted.LastTransformer.Model, d);
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
        }

        var importances = set.FeatureNames.Select((n, f) => (n, gains[f])).ToList();
        return new LightGbmStack(lambdaRank ? "LambdaMARTStack" : "GBStack", ml, model, d, importances);
    }

    /// <summary>Whether this is the LambdaMART stack (ranking objective) or GBStack (binary).</summary>
    public bool IsLambdaRank => Name == "LambdaMARTStack";

    /// <summary>LightGBM's trees in ML.NET's own model format (a zip).</summary>
    internal void Save(Stream stream) => _ml.Model.Save(_model, Load(_ml, new float[_features], [0f], [0u], 1, _features).Schema, stream);

    internal static LightGbmStack Load(Stream stream, bool lambdaRank, IReadOnlyList<string> names, int seed)
    {
        var ml = new MLContext(seed);
        var model = ml.Model.Load(stream, out _);
        return new LightGbmStack(lambdaRank ? "LambdaMARTStack" : "GBStack", ml, model, names.Count, names.Select(n => (n, 0.0)).ToList());
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
