using RecKit.Data;
using RecKit.Kernels;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>
/// The two towers fitted by alternating least squares, as collaborative topic regression fits its item vectors: each
/// tower's output e is a free vector with a prior mean — its features' embedding (x·F) — and the objective is
/// ALS's confidence-weighted squared error over every (user, item) pair plus λ‖e − x·F‖² plus ρ‖F‖². Each half sweep
/// solves every e of one side exactly as ALS does (the prior enters as an extra right-hand side λ·x·F), then refits F
/// by ridge regression of the solved e on the features. The ID rows are what the features do not explain, e − x·F;
/// a user or item with no interactions is x·F. Warm users and items are as ALS places them (regularised towards their
/// features instead of towards zero); a new one sits where items (users) with its features sit.
/// </summary>
internal sealed class TwoTowerLeastSquares
{
    private readonly AlsOptions _als;
    private readonly float _featureRidge;
    private readonly CsrMatrix _byUser;
    private readonly CsrMatrix _byItem;
    private readonly CsrMatrix _userFeatures;
    private readonly CsrMatrix _itemFeatures;
    private readonly CsrMatrix _userFeaturesByColumn;
    private readonly CsrMatrix _itemFeaturesByColumn;

    public TwoTowerLeastSquares(Interactions train, CsrMatrix userFeatures, CsrMatrix itemFeatures, AlsOptions als, double featureRidge)
    {
        _als = als;
        _featureRidge = (float)featureRidge;
        _byUser = train.ByUser;
        _byItem = _byUser.Transpose();
        _userFeatures = userFeatures;
        _itemFeatures = itemFeatures;
        _userFeaturesByColumn = userFeatures.Transpose();
        _itemFeaturesByColumn = itemFeatures.Transpose();
    }

    /// <summary>Tower outputs of the weights: users × k and items × k, row-major.</summary>
    public static (float[] Users, float[] Items) Outputs(TwoTowerWeights weights, CsrMatrix userFeatures, CsrMatrix itemFeatures)
    {
        var k = weights.Factors;
        var users = new float[userFeatures.RowCount * k];
        var items = new float[itemFeatures.RowCount * k];
        for (var u = 0; u < userFeatures.RowCount; u++)
        {
            weights.EmbedUser(u, userFeatures, users.AsSpan(u * k, k), useIds: true);
        }

        for (var i = 0; i < itemFeatures.RowCount; i++)
        {
            weights.EmbedItem(i, itemFeatures, items.AsSpan(i * k, k), useIds: true);
        }

        return (users, items);
    }

    /// <summary>One sweep: users against the items, then items against the users. Returns the mean objective per observed pair.</summary>
    public double Sweep(TwoTowerWeights weights, float[] users, float[] items)
    {
        var objective = HalfSweep(_byUser, items, users, _userFeatures, _userFeaturesByColumn, weights.UserFeatureEmbeddings);
        objective += HalfSweep(_byItem, users, items, _itemFeatures, _itemFeaturesByColumn, weights.ItemFeatureEmbeddings);
        return objective / Math.Max(1, 2 * _byUser.NonZeroCount);
    }

    /// <summary>Stores the solved outputs as ID rows (what the features do not explain), with zero biases.</summary>
    public static void Store(TwoTowerWeights weights, float[] users, float[] items, CsrMatrix userFeatures, CsrMatrix itemFeatures)
    {
        var k = weights.Factors;
        Residuals(users, userFeatures, weights.UserFeatureEmbeddings, weights.UserIds, k);
        Residuals(items, itemFeatures, weights.ItemFeatureEmbeddings, weights.ItemIds, k);
        Array.Clear(weights.ItemIdBias);
        Array.Clear(weights.ItemFeatureBias);
    }

    private static void Residuals(float[] outputs, CsrMatrix features, float[] embeddings, float[] ids, int k)
    {
        var prior = new float[k];
        for (var r = 0; r < features.RowCount; r++)
        {
            Prior(features, embeddings, r, prior);
            Subtract(outputs.AsSpan(r * k, k), prior, ids.AsSpan(r * k, k));
        }
    }

    private double HalfSweep(CsrMatrix rows, float[] fixedOutputs, float[] solved, CsrMatrix features, CsrMatrix featuresByColumn, float[] featureEmbeddings)
    {
        var k = _als.Factors;
        var lambda = (float)_als.Regularization;
        var gram = WeightedGramSolver.Gram(fixedOutputs, k, lambda);
        var chunk = 256;
        var chunks = (rows.RowCount + chunk - 1) / chunk;
        var objectives = new double[chunks];
        WorkerLoop.For(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = _als.Threads ?? Environment.ProcessorCount },
            () => new float[(k * k) + (4 * k)],
            (c, scratch) =>
            {
                var extra = scratch.AsSpan((k * k) + (2 * k), k);
                double objective = 0;
                for (var row = c * chunk; row < Math.Min(rows.RowCount, (c + 1) * chunk); row++)
                {
                    var x = solved.AsSpan(row * k, k);
                    Prior(features, featureEmbeddings, row, extra);
                    var columns = rows.RowColumns(row);
                    if (columns.IsEmpty)
                    {
                        extra.CopyTo(x); // no data: the prior mean is the solution
                        continue;
                    }

                    Multiply(extra, lambda, extra);
                    var confidence = _als.ConfidenceOf(rows.RowValues(row));
                    if (_als.Solver == AlsSolver.Cholesky)
                    {
                        WeightedGramSolver.Exact(gram, fixedOutputs, columns, confidence, x, scratch.AsSpan(0, (k * k) + (2 * k)), out var f, extra);
                        objective += f;
                    }
                    else
                    {
                        objective += WeightedGramSolver.ConjugateGradient(gram, fixedOutputs, columns, confidence, x, _als.CgSteps, scratch.AsSpan(0, 3 * k), extra);
                    }
                }

                objectives[c] = objective;
            });
        if (features.ColumnCount > 0)
        {
            FitFeatureEmbeddings(rows, solved, features, featuresByColumn, featureEmbeddings, k);
        }

        return objectives.Sum();
    }

    /// <summary>
    /// Ridge regression of the solved outputs of rows with interactions on their features: (XᵀX + ρI) F = XᵀE, by
    /// conjugate gradient on each of the k columns, warm-started from the current F (exact after as many steps as
    /// there are features; capped at 50 per sweep).
    /// </summary>
    private void FitFeatureEmbeddings(CsrMatrix rows, float[] solved, CsrMatrix features, CsrMatrix featuresByColumn, float[] embeddings, int k)
    {
        var n = features.ColumnCount;
        var active = new bool[features.RowCount];
        for (var r = 0; r < active.Length; r++)
        {
            active[r] = rows.RowLength(r) > 0;
        }

        var steps = Math.Min(n, 50);
        Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = _als.Threads ?? Environment.ProcessorCount }, column =>
        {
            var f = new double[n];
            for (var j = 0; j < n; j++)
            {
                f[j] = embeddings[(j * k) + column];
            }

            var rowBuffer = new double[features.RowCount];
            var (r, p, ap) = (new double[n], new double[n], new double[n]);

            // r = XᵀE − (XᵀX + ρI) f
            for (var j = 0; j < n; j++)
            {
                var members = featuresByColumn.RowColumns(j);
                var values = featuresByColumn.RowValues(j);
                double sum = 0;
                for (var m = 0; m < members.Length; m++)
                {
                    if (active[members[m]])
                    {
                        sum += values[m] * solved[(members[m] * k) + column];
                    }
                }

                r[j] = sum;
            }

            Normal(features, featuresByColumn, active, f, ap, rowBuffer);
            for (var j = 0; j < n; j++)
            {
                r[j] -= ap[j];
                p[j] = r[j];
            }

            var rsOld = DotD(r, r);
            for (var step = 0; step < steps && rsOld > 1e-18; step++)
            {
                Normal(features, featuresByColumn, active, p, ap, rowBuffer);
                var alpha = rsOld / DotD(p, ap);
                for (var j = 0; j < n; j++)
                {
                    f[j] += alpha * p[j];
                    r[j] -= alpha * ap[j];
                }

                var rsNew = DotD(r, r);
                for (var j = 0; j < n; j++)
                {
                    p[j] = r[j] + (rsNew / rsOld * p[j]);
                }

                rsOld = rsNew;
            }

            for (var j = 0; j < n; j++)
            {
                embeddings[(j * k) + column] = (float)f[j];
            }
        });
    }

    /// <summary>output = (XᵀX + ρI) v over the active rows of X.</summary>
    private void Normal(CsrMatrix features, CsrMatrix featuresByColumn, bool[] active, double[] v, double[] output, double[] rowBuffer)
    {
        for (var row = 0; row < features.RowCount; row++)
        {
            double sum = 0;
            if (active[row])
            {
                var columns = features.RowColumns(row);
                var values = features.RowValues(row);
                for (var j = 0; j < columns.Length; j++)
                {
                    sum += values[j] * v[columns[j]];
                }
            }

            rowBuffer[row] = sum;
        }

        for (var j = 0; j < output.Length; j++)
        {
            var members = featuresByColumn.RowColumns(j);
            var values = featuresByColumn.RowValues(j);
            double sum = _featureRidge * v[j];
            for (var m = 0; m < members.Length; m++)
            {
                sum += values[m] * rowBuffer[members[m]];
            }

            output[j] = sum;
        }
    }

    private static double DotD(double[] a, double[] b)
    {
        double sum = 0;
        for (var j = 0; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }

        return sum;
    }

    /// <summary>The prior mean of one row: its features' embedding.</summary>
    private static void Prior(CsrMatrix features, float[] embeddings, int row, Span<float> output)
    {
        output.Clear();
        TwoTowerWeights.AddFeatures(features, row, embeddings, output);
    }
}
