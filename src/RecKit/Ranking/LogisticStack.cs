using RecKit.Kernels;

namespace RecKit.Ranking;

/// <summary>
/// Design note 3 §6.2: standardised features, L2-regularised logistic regression fitted by Newton's method (IRLS):
/// each step solves (XᵀWX + λI)Δ = Xᵀ(y − p) exactly by Cholesky. Importance = |standardised coefficient|. Features
/// fitted as left out weigh 0: the stack experiment leaves out the base models' raw ranking scores, whose scale shifts
/// between the fits meta rows come from and the refitted ones ranked rows come from (their per-user z and rank stay).
/// </summary>
public sealed class LogisticStack : IMetaModel
{
    private readonly float[] _mean;
    private readonly float[] _scale;
    private readonly double[] _weights; // bias last

    private LogisticStack(float[] mean, float[] scale, double[] weights, IReadOnlyList<string> names)
    {
        _mean = mean;
        _scale = scale;
        _weights = weights;
        Importances = names.Select((n, f) => (n, Math.Abs(weights[f]))).ToList();
    }

    public string Name => "LogisticStack";

    public IReadOnlyList<(string Feature, double Importance)> Importances { get; }

    /// <summary>Coefficients on standardised features, then the intercept.</summary>
    public IReadOnlyList<double> Coefficients => _weights;

    /// <param name="leftOut">Features the model must not use (weight 0): a base model's raw ranking scores, whose scale is
    /// its fit's own (<see cref="MetaFeatures.FitScaledScores"/>).</param>
    public static LogisticStack Fit(StackTrainingSet set, double l2 = 1.0, int iterations = 30, IReadOnlyCollection<string>? leftOut = null)
    {
        var d = set.FeatureNames.Count;
        var (mean, scale) = Standardiser(set.Rows, set.Count, d);
        var unused = set.FeatureNames.Select(n => leftOut?.Contains(n) == true).ToArray();
        for (var f = 0; f < d; f++)
        {
            if (unused[f])
            {
                (mean[f], scale[f]) = (0f, 1f);
            }
        }
        var p = d + 1;
        var w = new double[p];
        var x = new double[p];
        for (var it = 0; it < iterations; it++)
        {
            var hessian = new double[p * p];
            var gradient = new double[p];
            for (var r = 0; r < set.Count; r++)
            {
                Standardise(set.Rows.AsSpan(r * d, d), mean, scale, x);
                for (var f = 0; f < d; f++)
                {
                    if (unused[f])
                    {
                        x[f] = 0; // no gradient, no curvature: the penalty holds its weight at 0
                    }
                }

                var z = 0.0;
                for (var f = 0; f < p; f++)
                {
                    z += w[f] * x[f];
                }

                var prob = 1 / (1 + Math.Exp(-z));
                var weight = Math.Max(prob * (1 - prob), 1e-9);
                var residual = set.Labels[r] - prob;
                for (var f = 0; f < p; f++)
                {
                    gradient[f] += residual * x[f];
                    for (var g = 0; g <= f; g++)
                    {
                        hessian[(f * p) + g] += weight * x[f] * x[g];
                    }
                }
            }

            var a = new float[p * p];
            var b = new float[p];
            for (var f = 0; f < p; f++)
            {
                var penalty = f < d ? l2 : 0; // the intercept is not penalised
                b[f] = (float)(gradient[f] - (penalty * w[f]));
                for (var g = 0; g <= f; g++)
                {
                    a[(f * p) + g] = a[(g * p) + f] = (float)(hessian[(f * p) + g] + (f == g ? penalty + 1e-6 : 0));
                }
            }

            if (!Cholesky.Solve(a, b, p))
            {
                break;
            }

            var change = 0.0;
            for (var f = 0; f < p; f++)
            {
                w[f] += b[f];
                change = Math.Max(change, Math.Abs(b[f]));
            }

            if (change < 1e-6)
            {
                break;
            }
        }

        return new LogisticStack(mean, scale, w, set.FeatureNames);
    }

    /// <summary>Standardiser, coefficients and feature names, in the model writer's encoding.</summary>
    internal void Write(Persistence.ModelWriter writer, IReadOnlyList<string> names)
    {
        writer.Write(names.Count);
        foreach (var name in names)
        {
            writer.Write(name);
        }

        writer.Write(_mean);
        writer.Write(_scale);
        writer.Write(_weights);
    }

    internal static (LogisticStack Model, IReadOnlyList<string> Names) Read(Persistence.ModelReader reader)
    {
        var count = reader.ReadInt32();
        reader.Require(count is > 0 and < 100_000, "logistic stack feature count out of range");
        var names = Enumerable.Range(0, count).Select(_ => reader.ReadString()).ToList();
        var mean = reader.ReadSingleArray();
        var scale = reader.ReadSingleArray();
        var weights = reader.ReadDoubleArray();
        reader.Require(mean.Length == count && scale.Length == count && weights.Length == count + 1, "logistic stack sizes disagree");
        return (new LogisticStack(mean, scale, weights, names), names);
    }

    public float[] Predict(float[] rows, int count)
    {
        var d = _mean.Length;
        var x = new double[d + 1];
        var scores = new float[count];
        for (var r = 0; r < count; r++)
        {
            Standardise(rows.AsSpan(r * d, d), _mean, _scale, x);
            var z = 0.0;
            for (var f = 0; f <= d; f++)
            {
                z += _weights[f] * x[f];
            }

            scores[r] = (float)(1 / (1 + Math.Exp(-z)));
        }

        return scores;
    }

    internal static (float[] Mean, float[] Scale) Standardiser(float[] rows, int count, int d)
    {
        var mean = new double[d];
        var square = new double[d];
        for (var r = 0; r < count; r++)
        {
            for (var f = 0; f < d; f++)
            {
                var v = rows[(r * d) + f];
                mean[f] += v;
                square[f] += v * v;
            }
        }

        var m = new float[d];
        var s = new float[d];
        for (var f = 0; f < d; f++)
        {
            m[f] = (float)(mean[f] / Math.Max(1, count));
            var variance = (square[f] / Math.Max(1, count)) - (m[f] * (double)m[f]);
            s[f] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }

        return (m, s);
    }

    private static void Standardise(ReadOnlySpan<float> row, float[] mean, float[] scale, double[] x)
    {
        for (var f = 0; f < row.Length; f++)
        {
            x[f] = (row[f] - mean[f]) / scale[f];
        }

        x[row.Length] = 1;
    }
}
