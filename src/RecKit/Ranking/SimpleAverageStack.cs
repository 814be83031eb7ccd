namespace RecKit.Ranking;

/// <summary>Design note 3's SimpleAverage4: the mean of the named base scores after min–max scaling fitted on the training rows.</summary>
public sealed class SimpleAverageStack : IMetaModel
{
    private readonly int[] _columns;
    private readonly float[] _min;
    private readonly float[] _range;

    private SimpleAverageStack(int[] columns, float[] min, float[] range, IReadOnlyList<string> names)
    {
        _columns = columns;
        _min = min;
        _range = range;
        Importances = columns.Select(c => (names[c], 1.0 / columns.Length)).ToList();
        Name = $"SimpleAverage{columns.Length}";
    }

    public string Name { get; }

    public IReadOnlyList<(string Feature, double Importance)> Importances { get; }

    public static SimpleAverageStack Fit(StackTrainingSet set, IReadOnlyList<string> scoreFeatures)
    {
        var d = set.FeatureNames.Count;
        var columns = scoreFeatures.Select(n => set.FeatureNames.ToList().IndexOf(n)).ToArray();
        if (columns.Any(c => c < 0))
        {
            throw new ArgumentException($"Unknown score feature among {string.Join(", ", scoreFeatures)}.");
        }

        var min = columns.Select(_ => float.MaxValue).ToArray();
        var max = columns.Select(_ => float.MinValue).ToArray();
        for (var r = 0; r < set.Count; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                var v = set.Rows[(r * d) + columns[c]];
                min[c] = Math.Min(min[c], v);
                max[c] = Math.Max(max[c], v);
            }
        }

        var range = min.Zip(max, (a, b) => b > a ? b - a : 1f).ToArray();
        return new SimpleAverageStack(columns, min, range, set.FeatureNames);
    }

    public float[] Predict(float[] rows, int count)
    {
        var d = rows.Length / Math.Max(1, count);
        var scores = new float[count];
        for (var r = 0; r < count; r++)
        {
            var sum = 0f;
            for (var c = 0; c < _columns.Length; c++)
            {
                sum += (rows[(r * d) + _columns[c]] - _min[c]) / _range[c];
            }

            scores[r] = sum / _columns.Length;
        }

        return scores;
    }
}
