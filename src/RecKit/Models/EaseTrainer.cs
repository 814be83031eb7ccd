using RecKit.Data;
using RecKit.Kernels;

namespace RecKit.Models;

/// <summary>
/// EASE (Steck 2019): the closed-form item–item model B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹ and a zero
/// diagonal, X the binary user–item matrix. No epochs: one Gram matrix, one inversion.
/// </summary>
public sealed class EaseTrainer : ITrainer<EaseModel>
{
    private readonly EaseOptions _options;

    public EaseTrainer(EaseOptions? options = null)
    {
        _options = options ?? new EaseOptions();
        _options.Validate();
    }

    public EaseModel Fit(Interactions train, TrainingContext? context = null)
    {
        context ??= TrainingContext.None;
        var n = train.ItemCount;
        if (Refusal(n, _options) is { } refusal)
        {
            throw new ArgumentException(refusal + " Filter rare items first (InteractionFilters.MinimumCounts) or use item-kNN or ALS.");
        }

        var threads = _options.Threads ?? Environment.ProcessorCount;
        var byUser = train.ByUser;
        context.Report("EASE Gram matrix", 0, 2);
        var gram = Gram(byUser, n, (float)_options.Regularization, threads, context.Cancellation);
        context.Report("EASE inversion", 1, 2);
        BlockedSpdInverse.InvertSpd(gram, n, threads, context.Cancellation);

        // B_ij = −P_ij / P_jj, B_ii = 0.
        var diagonal = new float[n];
        for (var j = 0; j < n; j++)
        {
            diagonal[j] = gram[(j * n) + j];
        }

        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var row = gram.AsSpan(i * n, n);
            System.Numerics.Tensors.TensorPrimitives.Divide(row, diagonal, row);
            System.Numerics.Tensors.TensorPrimitives.Negate(row, row);
            row[i] = 0f;
        });
        context.Report("EASE", 2, 2);
        var popularity = train.CountPerItem().Select(c => (float)c).ToArray();
        return _options.KeepPerItem is { } keep && keep < n
            ? new EaseModel(Prune(gram, n, keep, threads), byUser, popularity)
            : new EaseModel(gram, byUser, popularity);
    }

    /// <summary>Each row's <paramref name="keep"/> weights largest in magnitude, columns ascending, as a sparse matrix.</summary>
    internal static CsrMatrix Prune(float[] weights, int n, int keep, int threads)
    {
        var pointers = new int[n + 1];
        for (var i = 0; i <= n; i++)
        {
            pointers[i] = i * keep;
        }

        var columns = new int[(long)n * keep];
        var values = new float[columns.Length];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new float[n], (i, _, magnitude) =>
        {
            var row = weights.AsSpan(i * n, n);
            System.Numerics.Tensors.TensorPrimitives.Abs(row, magnitude);
            var kept = columns.AsSpan(i * keep, keep);
            if (TopK.Select(magnitude, keep, kept) != keep)
            {
                throw new InvalidOperationException($"EASE: item {i}'s weights are not finite (the inversion failed); raise the regularization.");
            }

            kept.Sort();
            for (var c = 0; c < keep; c++)
            {
                values[(i * keep) + c] = row[kept[c]];
            }

            return magnitude;
        }, _ => { });
        return new CsrMatrix(n, n, pointers, columns, values);
    }

    /// <summary>Why a catalogue of <paramref name="items"/> items is too large for these options, or null when it is not.</summary>
    internal static string? Refusal(int items, EaseOptions options) => items <= options.MaxItems
        ? null
        : $"EASE needs a dense {items:N0} × {items:N0} matrix ({4.0 * items * items / 1e9:F1} GB) and O(n³) time; this catalogue is above MaxItems = {options.MaxItems:N0}.";

    /// <summary>XᵀX + λI of the binary user × item matrix, dense row-major.</summary>
    internal static float[] Gram(CsrMatrix byUser, int n, float lambda, int threads, CancellationToken cancellation = default)
    {
        var gram = new float[(long)n * n];

        // Each user adds 1 to every pair of their items. Rows are split by item range across threads, so no two
        // threads write the same row.
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation }, t =>
        {
            var low = (int)((long)n * t / threads);
            var high = (int)((long)n * (t + 1) / threads);
            for (var u = 0; u < byUser.RowCount; u++)
            {
                var items = byUser.RowColumns(u);
                foreach (var i in items)
                {
                    if (i < low || i >= high)
                    {
                        continue;
                    }

                    var row = gram.AsSpan(i * n, n);
                    foreach (var j in items)
                    {
                        row[j] += 1f;
                    }
                }
            }
        });
        for (var i = 0; i < n; i++)
        {
            gram[((long)i * n) + i] += lambda;
        }

        return gram;
    }
}
