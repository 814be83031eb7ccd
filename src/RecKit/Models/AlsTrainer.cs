using System.Diagnostics;
using RecKit.Data;
using RecKit.Kernels;
using RecKit.Training;

namespace RecKit.Models;

/// <summary>
/// ALS for implicit feedback (Hu, Koren, Volinsky 2008): preference 1 on observed pairs, confidence 1 + α·r,
/// alternately solving every user's factors with item factors fixed and every item's with user factors fixed.
/// Each half-sweep computes the Gram matrix once and solves rows in parallel (no shared writes, so the result
/// does not depend on the thread count). Cold users are ranked by item popularity.
/// </summary>
public sealed class AlsTrainer : ITrainer<LatentFactorModel>
{
    private readonly AlsOptions _options;

    public AlsTrainer(AlsOptions? options = null)
    {
        _options = options ?? new AlsOptions();
        _options.Validate();
    }

    public LatentFactorModel Fit(Interactions train, TrainingContext? context = null)
    {
        context ??= TrainingContext.None;
        var k = _options.Factors;
        var byUser = Confidence(train.ByUser);
        var byItem = Confidence(train.ByUser.Transpose());
        float[] x, y;
        if (context.ResumeFrom is LatentFactorModel previous)
        {
            x = previous.AllUserFactors.ToArray();
            y = previous.AllItemFactors.ToArray();
        }
        else
        {
            var random = new FastRandom((ulong)_options.Seed);
            x = new float[train.UserCount * k];
            y = new float[train.ItemCount * k];
            random.FillGaussian(x, 0.01f);
            random.FillGaussian(y, 0.01f);
        }

        for (var iteration = context.CompletedEpochs + 1; iteration <= _options.Iterations; iteration++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var loss = HalfSweep(byUser, y, x, measure: true);
            context.Report($"iteration {iteration}/{_options.Iterations}", (2 * iteration) - 1, 2 * _options.Iterations, loss);
            HalfSweep(byItem, x, y, measure: false);
            context.Report($"iteration {iteration}/{_options.Iterations}", 2 * iteration, 2 * _options.Iterations, loss);
            if (context.OnEpochEnd is { } onEpoch && onEpoch(new EpochReport(iteration, _options.Iterations, loss, clock.Elapsed, Build((float[])x.Clone(), (float[])y.Clone(), train))) == EpochDecision.Stop)
            {
                break;
            }
        }

        return Build(x, y, train);
    }

    /// <summary>
    /// Solves a new user's factors against the model's item factors — exactly, by Cholesky — from the items they
    /// interacted with (values are ratings or counts; empty means 1 each). No retraining.
    /// </summary>
    public float[] FoldIn(LatentFactorModel model, ReadOnlySpan<int> items, ReadOnlySpan<float> values = default)
    {
        var k = model.Factors;
        var gram = WeightedGramSolver.Gram(model.AllItemFactors, k, (float)_options.Regularization);
        var weights = new float[items.Length];
        for (var j = 0; j < items.Length; j++)
        {
            weights[j] = (float)_options.Alpha * (values.IsEmpty || !_options.UseValues ? 1f : values[j]);
        }

        var x = new float[k];
        if (!WeightedGramSolver.Exact(gram, model.AllItemFactors, items, weights, x, new float[(k * k) + k]))
        {
            throw new InvalidOperationException("The fold-in system is not positive definite (regularisation 0 with too few items?).");
        }

        return x;
    }

    /// <summary>The confidence weights α·r (c − 1) in place of the values.</summary>
    private CsrMatrix Confidence(CsrMatrix matrix)
    {
        var values = matrix.Values.ToArray();
        for (var j = 0; j < values.Length; j++)
        {
            values[j] = (float)_options.Alpha * (_options.UseValues ? values[j] : 1f);
        }

        return new CsrMatrix(matrix.RowCount, matrix.ColumnCount, matrix.RowPointers.ToArray(), matrix.ColumnIndices.ToArray(), values);
    }

    /// <summary>Solves every row of <paramref name="solved"/> against the fixed <paramref name="fixedFactors"/>.</summary>
    /// <returns>When measured, the mean confidence-weighted squared error on observed pairs after the solve.</returns>
    private double HalfSweep(CsrMatrix rows, float[] fixedFactors, float[] solved, bool measure)
    {
        var k = _options.Factors;
        var gram = WeightedGramSolver.Gram(fixedFactors, k, (float)_options.Regularization);
        var threads = _options.Threads ?? Environment.ProcessorCount;
        var chunk = 256;
        var chunks = (rows.RowCount + chunk - 1) / chunk;
        var losses = new double[chunks];
        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new float[_options.Solver == AlsSolver.Cholesky ? (k * k) + k : 3 * k],
            (c, _, scratch) =>
            {
                double loss = 0;
                for (var row = c * chunk; row < Math.Min(rows.RowCount, (c + 1) * chunk); row++)
                {
                    var columns = rows.RowColumns(row);
                    var weights = rows.RowValues(row);
                    var x = solved.AsSpan(row * k, k);
                    if (columns.IsEmpty)
                    {
                        x.Clear(); // no data: the regularised solution is 0
                        continue;
                    }

                    if (_options.Solver == AlsSolver.Cholesky)
                    {
                        WeightedGramSolver.Exact(gram, fixedFactors, columns, weights, x, scratch);
                    }
                    else
                    {
                        WeightedGramSolver.ConjugateGradient(gram, fixedFactors, columns, weights, x, _options.CgSteps, scratch);
                    }

                    if (measure)
                    {
                        for (var j = 0; j < columns.Length; j++)
                        {
                            var error = 1 - System.Numerics.Tensors.TensorPrimitives.Dot(x, fixedFactors.AsSpan(columns[j] * k, k));
                            loss += (1 + weights[j]) * error * error;
                        }
                    }
                }

                losses[c] = loss;
                return scratch;
            },
            _ => { });
        return measure ? losses.Sum() / Math.Max(1, rows.NonZeroCount) : double.NaN;
    }

    private LatentFactorModel Build(float[] x, float[] y, Interactions train)
    {
        var known = train.CountPerUser().Select(c => c > 0).ToArray();
        var popularity = train.CountPerItem().Select(c => (float)c).ToArray();
        return new LatentFactorModel("als", _options.Factors, x, y, new float[train.ItemCount], new float[train.UserCount], popularity, known, null);
    }
}
