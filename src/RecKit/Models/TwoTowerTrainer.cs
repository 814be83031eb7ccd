using System.Diagnostics;
using RecKit.Data;
using RecKit.Training;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>
/// Trains a two-tower model (seed 004): user tower e_u = P[u] + Σ_f x_uf·A[f] (the user features, followed by the
/// mean item features of the user's history when <see cref="TwoTowerOptions.HistoryFeatures"/> is on), item tower e_i = Q[i] + Σ_g z_ig·B[g],
/// item bias b_i = c[i] + Σ_g z_ig·d[g], affinity e_u·e_i + b_i. Loss: BPR with one sampled negative per positive,
/// plain SGD, one thread (deterministic for a seed). ID rows of users and items with no training interaction are
/// zeroed at the end, so such users and items are scored from their features alone (cold start).
/// </summary>
public sealed class TwoTowerTrainer : ITrainer<TwoTowerModel>
{
    private readonly TwoTowerOptions _options;
    private readonly CsrMatrix? _userFeatures;
    private readonly CsrMatrix? _itemFeatures;

    /// <param name="userFeatures">Users × user features (null: none).</param>
    /// <param name="itemFeatures">Items × item features (null: none).</param>
    public TwoTowerTrainer(CsrMatrix? userFeatures, CsrMatrix? itemFeatures, TwoTowerOptions? options = null)
    {
        _options = options ?? new TwoTowerOptions();
        _options.Validate();
        _userFeatures = userFeatures;
        _itemFeatures = itemFeatures;
    }

    private string DivergenceRemedy => FormattableString.Invariant($"The learning rate is too high (learningRate {_options.LearningRate}): lower it, or raise the regularization.");

    public TwoTowerModel Fit(Interactions train, TrainingContext? context = null)
    {
        context ??= TrainingContext.None;
        var users = train.UserCount;
        var items = train.ItemCount;
        var userFeatures = _userFeatures ?? Empty(users);
        var itemFeatures = _itemFeatures ?? Empty(items);
        if (_options.NormalizeFeatures)
        {
            (userFeatures, itemFeatures) = (RowsSummingToOne(userFeatures), RowsSummingToOne(itemFeatures));
        }

        if (_options.HistoryFeatures && itemFeatures.ColumnCount > 0 && userFeatures.RowCount == users && itemFeatures.RowCount == items)
        {
            var history = UserHistoryProfile.Build(train.ByUser, itemFeatures);
            userFeatures = UserHistoryProfile.SideBySide(userFeatures, _options.NormalizeFeatures ? RowsSummingToOne(history) : history);
        }

        if (userFeatures.RowCount != users || itemFeatures.RowCount != items)
        {
            throw new ArgumentException($"Feature matrices ({userFeatures.RowCount} user rows, {itemFeatures.RowCount} item rows) must match the data ({users} users, {items} items).");
        }

        var k = _options.Factors;
        var random = new Random(_options.Seed);
        var weights = context.ResumeFrom is TwoTowerModel previous
            ? previous.Weights.Clone()
            : TwoTowerWeights.Random(users, items, userFeatures.ColumnCount, itemFeatures.ColumnCount, k, _options.InitStd, random);
        var seen = train.ByUser;
        var positives = Enumerable.Range(0, train.Count).ToArray();
        var tu = train.Users;
        var ti = train.Items;
        var eu = new float[k];
        var ei = new float[k];
        var ej = new float[k];
        var diff = new float[k];
        var lr = (float)_options.LearningRate;
        var reg = (float)_options.Regularization;
        for (var epoch = context.CompletedEpochs + 1; epoch <= _options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            random.Shuffle(positives);
            if (_options.LearningRateDecay)
            {
                // Linear decay to zero: the shared feature embeddings, moved by every step, settle instead of wandering.
                lr = (float)(_options.LearningRate * (1.0 - ((epoch - 1.0) / _options.Epochs)));
            }

            double loss = 0;
            for (var step = 0; step < positives.Length; step++)
            {
                var p = positives[step];
                int u = tu[p], i = ti[p];
                var itemIds = _options.UseIds && (_options.ItemIdDropout == 0 || random.NextDouble() >= _options.ItemIdDropout);
                var popular = !itemIds && _options.FeatureStepNegatives == NegativeSampling.Popularity;
                var j = NextNegative(random, items, ti, popular);
                for (var tries = 0; _options.RejectPositives && tries < 10 && seen.Contains(u, j); tries++)
                {
                    j = NextNegative(random, items, ti, popular);
                }

                weights.EmbedUser(u, userFeatures, eu, _options.UseIds);
                weights.EmbedItem(i, itemFeatures, ei, itemIds);
                weights.EmbedItem(j, itemFeatures, ej, itemIds);
                var margin = Dot(eu, ei) - Dot(eu, ej) + weights.ItemBias(i, itemFeatures, itemIds) - weights.ItemBias(j, itemFeatures, itemIds);
                var g = 1f / (1f + MathF.Exp(margin)); // σ(−margin): the BPR gradient scale
                loss += margin > 0 ? Math.Log(1 + Math.Exp(-margin)) : -margin + Math.Log(1 + Math.Exp(margin)); // −log σ(margin), stable
                Subtract(ei, ej, diff);
                weights.StepUser(u, userFeatures, diff, g * lr, reg * lr, _options.UseIds);
                weights.StepItem(i, itemFeatures, eu, g * lr, reg * lr, itemIds);
                weights.StepItem(j, itemFeatures, eu, -g * lr, reg * lr, itemIds);
                if ((step & 0x3FFF) == 0)
                {
                    context.Report($"epoch {epoch}/{_options.Epochs}", step, positives.Length, loss / Math.Max(1, step));
                }
            }

            var snapshot = Build(weights.Clone(), train, userFeatures, itemFeatures);
            if (context.EndEpoch("Two-tower", DivergenceRemedy, epoch, _options.Epochs, loss / Math.Max(1, positives.Length), clock.Elapsed, () => snapshot) == EpochDecision.Stop)
            {
                return snapshot;
            }
        }

        return Build(weights, train, userFeatures, itemFeatures);
    }

    private TwoTowerModel Build(TwoTowerWeights weights, Interactions train, CsrMatrix userFeatures, CsrMatrix itemFeatures)
    {
        var userCounts = train.CountPerUser();
        var itemCounts = train.CountPerItem();
        weights.ZeroUnseenIds(userCounts, itemCounts);
        return TwoTowerModel.Create(weights, userFeatures, itemFeatures, userCounts.Select(c => c > 0).ToArray(), _options.UseIds);
    }

    /// <summary>A uniform item, or (popular) the item of a uniformly drawn interaction: an item in proportion to its popularity.</summary>
    private static int NextNegative(Random random, int items, ReadOnlySpan<int> interactedItems, bool popular) =>
        popular ? interactedItems[random.Next(interactedItems.Length)] : random.Next(items);

    private static CsrMatrix Empty(int rows) => new(rows, 0, new int[rows + 1], [], []);

    /// <summary>Each row divided by the sum of its absolute values (empty rows stay empty).</summary>
    private static CsrMatrix RowsSummingToOne(CsrMatrix features)
    {
        var values = features.Values.ToArray();
        for (var r = 0; r < features.RowCount; r++)
        {
            var row = values.AsSpan(features.RowPointers[r], features.RowLength(r));
            var total = System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(row);
            if (total > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(row, total, row);
            }
        }

        return features.WithValues(values);
    }
}
