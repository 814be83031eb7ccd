using System.Diagnostics;
using RecKit.Data;
using RecKit.Kernels;

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

    private string DivergenceRemedy => FormattableString.Invariant($"The confidences are too large for the solver (alpha {_options.Alpha}, regularization {_options.Regularization}): lower alpha, raise regularization, or read very large counts with a log transform.");

    public AlsTrainer(AlsOptions? options = null)
    {
        _options = options ?? new AlsOptions();
        _options.Validate();
    }

    public LatentFactorModel Fit(Interactions train, TrainingContext? context = null)
    {
        context ??= TrainingContext.None;
        if (_options.UseValues && train.Count > 0 && System.Numerics.Tensors.TensorPrimitives.Min(train.Values) is var lowest && lowest < 0)
        {
            throw new ArgumentException(FormattableString.Invariant($"als option 'useValues' makes each value a confidence (1 + alpha × value), which must not be negative; the data holds {lowest}. Use counts or weights of zero or more, or set useValues to false."));
        }

        var k = _options.Factors;
        var byUser = train.ByUser;
        var byItem = byUser.Transpose();
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
            var loss = Objective(HalfSweep(byUser, y, x), byUser, y);
            context.Report($"iteration {iteration}/{_options.Iterations}", (2 * iteration) - 1, 2 * _options.Iterations, loss);
            HalfSweep(byItem, x, y);
            context.Report($"iteration {iteration}/{_options.Iterations}", 2 * iteration, 2 * _options.Iterations, loss);
            if (context.EndEpoch("ALS", DivergenceRemedy, iteration, _options.Iterations, loss, clock.Elapsed, () => Build((float[])x.Clone(), (float[])y.Clone(), train)) == EpochDecision.Stop)
            {
                break;
            }
        }

        return Build(x, y, train);
    }

    /// <summary>
    /// Solves a new user's factors against the model's item factors — exactly, by Cholesky — from the items they
    /// interacted with (values are ratings or counts; empty means 1 each). No retraining. For many users, make one
    /// <see cref="AlsFoldIn"/> and reuse it.
    /// </summary>
    public float[] FoldIn(LatentFactorModel model, ReadOnlySpan<int> items, ReadOnlySpan<float> values = default) =>
        new AlsFoldIn(model, _options).Solve(items, values);

    /// <summary>
    /// The Hu–Koren–Volinsky loss per observed pair: Σ over all (user, item) of c (p − xᵀy)² plus λ(‖X‖² + ‖Y‖²),
    /// divided by the number of observed pairs. Built from the solvers' per-row objectives, so it costs no pass.
    /// </summary>
    private double Objective(double rowObjectives, CsrMatrix rows, float[] fixedFactors)
    {
        double observedConfidence = rows.NonZeroCount; // Σ (1 + w) over observed pairs, the constant the rows leave out
        var confidence = _options.ConfidenceOf(rows.Values);
        for (var j = 0; j < rows.NonZeroCount; j++)
        {
            observedConfidence += confidence[j];
        }

        var fixedPenalty = _options.Regularization * System.Numerics.Tensors.TensorPrimitives.SumOfSquares(fixedFactors);
        return (observedConfidence + rowObjectives + fixedPenalty) / Math.Max(1, rows.NonZeroCount);
    }

    /// <summary>Solves every row of <paramref name="solved"/> against the fixed <paramref name="fixedFactors"/>.</summary>
    /// <returns>The sum of the rows' objectives f(x) = xᵀAx − 2bᵀx after the solve.</returns>
    private double HalfSweep(CsrMatrix rows, float[] fixedFactors, float[] solved)
    {
        var k = _options.Factors;
        var gram = WeightedGramSolver.Gram(fixedFactors, k, (float)_options.Regularization);
        var threads = _options.Threads ?? Environment.ProcessorCount;
        var chunk = 256;
        var chunks = (rows.RowCount + chunk - 1) / chunk;
        var objectives = new double[chunks];
        WorkerLoop.For(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new float[_options.Solver == AlsSolver.Cholesky ? (k * k) + (2 * k) : 3 * k],
            (c, scratch) =>
            {
                double objective = 0;
                for (var row = c * chunk; row < Math.Min(rows.RowCount, (c + 1) * chunk); row++)
                {
                    var columns = rows.RowColumns(row);
                    var confidence = _options.ConfidenceOf(rows.RowValues(row));
                    var x = solved.AsSpan(row * k, k);
                    if (columns.IsEmpty)
                    {
                        x.Clear(); // no data: the regularised solution is 0, and so is its objective
                        continue;
                    }

                    if (_options.Solver == AlsSolver.Cholesky)
                    {
                        WeightedGramSolver.Exact(gram, fixedFactors, columns, confidence, x, scratch, out var f);
                        objective += f;
                    }
                    else
                    {
                        objective += WeightedGramSolver.ConjugateGradient(gram, fixedFactors, columns, confidence, x, _options.CgSteps, scratch);
                    }
                }

                objectives[c] = objective;
            });
        return objectives.Sum();
    }

    private LatentFactorModel Build(float[] x, float[] y, Interactions train)
    {
        var known = train.CountPerUser().Select(c => c > 0).ToArray();
        var popularity = train.CountPerItem().Select(c => (float)c).ToArray();
        return new LatentFactorModel("als", _options.Factors, x, y, new float[train.ItemCount], new float[train.UserCount], popularity, known, null);
    }
}
