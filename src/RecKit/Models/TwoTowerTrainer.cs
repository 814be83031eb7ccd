using System.Diagnostics;
using RecKit.Data;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>
/// Trains a two-tower model (design note 4): user tower e_u = P[u] + Σ_f x_uf·A[f] (the user features, followed by the
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
    private readonly IHeldOutJudge? _judge;

    /// <param name="userFeatures">Users × user features (null: none).</param>
    /// <param name="itemFeatures">Items × item features (null: none).</param>
    /// <param name="judge">Measures candidate content weights when <see cref="TwoTowerOptions.TuneContentWeight"/> is on (RecKit.Evaluation.EvaluatorJudge).</param>
    public TwoTowerTrainer(CsrMatrix? userFeatures, CsrMatrix? itemFeatures, TwoTowerOptions? options = null, IHeldOutJudge? judge = null)
    {
        _judge = judge;
        _options = options ?? new TwoTowerOptions();
        _options.Validate();
        _userFeatures = userFeatures;
        _itemFeatures = itemFeatures;
    }

    private string DivergenceRemedy => _options.Solver == TwoTowerSolver.Als
        ? FormattableString.Invariant($"The confidences are too large for the solver (alpha {_options.Alpha}, regularization {_options.RegularizationOrDefault}): lower alpha or raise regularization.")
        : FormattableString.Invariant($"The learning rate is too high (learningRate {_options.LearningRate}): lower it, or raise the regularization.");

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

        var channelWeight = !_options.ContentChannel || _itemFeatures is not { ColumnCount: > 0 } ? 0f
            : !_options.TuneContentWeight ? (float)_options.ContentWeight
            : context.ResumeFrom is TwoTowerModel resumed ? resumed.ContentWeight // chosen when the run began
            : TuneChannel(train);
        if (_options.Solver == TwoTowerSolver.Als)
        {
            return FitLeastSquares(train, userFeatures, itemFeatures, channelWeight, context);
        }

        var k = _options.Factors;
        var random = new Random(_options.Seed);
        var weights = context.ResumeFrom is TwoTowerModel previous
            ? previous.Weights.Clone()
            : TwoTowerWeights.Random(users, items, userFeatures.ColumnCount, itemFeatures.ColumnCount, k, _options.InitStd, random);
        var sampler = new TwoTowerSampler(train, _options, random);
        var epochState = new EpochBuffers(k, _options.Negatives);
        return RunEpochs(weights, train, userFeatures, itemFeatures, channelWeight, context, epoch =>
        {
            random.Shuffle(sampler.Positives);
            var lr = (float)_options.LearningRate;
            if (_options.LearningRateDecay)
            {
                // Linear decay to zero: the shared feature embeddings, moved by every step, settle instead of wandering.
                lr = (float)(_options.LearningRate * (1.0 - ((epoch - 1.0) / _options.EpochsOrDefault)));
            }

            var progress = (int step, int total, double lossSoFar) => context.Report($"epoch {epoch}/{_options.EpochsOrDefault}", ((long)(epoch - 1) * total) + step, (long)_options.EpochsOrDefault * total, lossSoFar); // over the whole fit
            return _options.Loss == TwoTowerLoss.Bpr
                ? BprEpoch(weights, userFeatures, itemFeatures, sampler, epochState, lr, progress)
                : SoftmaxEpoch(weights, userFeatures, itemFeatures, sampler, epochState, lr, progress);
        });
    }

    /// <summary>
    /// The epochs left after <paramref name="context"/>'s completed ones: each runs <paramref name="epoch"/> (which
    /// returns its loss and leaves the weights ready to build), then offers the model to the context, which may stop.
    /// </summary>
    private TwoTowerModel RunEpochs(TwoTowerWeights weights, Interactions train, CsrMatrix userFeatures, CsrMatrix itemFeatures, float channelWeight, TrainingContext context, Func<int, double> epoch)
    {
        for (var e = context.CompletedEpochs + 1; e <= _options.EpochsOrDefault; e++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var loss = epoch(e);
            var snapshot = Build(weights.Clone(), train, userFeatures, itemFeatures, channelWeight);
            if (context.EndEpoch("Two-tower", DivergenceRemedy, e, _options.EpochsOrDefault, loss, clock.Elapsed, () => snapshot) == EpochDecision.Stop)
            {
                return snapshot;
            }
        }

        return Build(weights, train, userFeatures, itemFeatures, channelWeight);
    }

    /// <summary>The towers by alternating least squares (<see cref="TwoTowerLeastSquares"/>), one epoch per sweep.</summary>
    private TwoTowerModel FitLeastSquares(Interactions train, CsrMatrix userFeatures, CsrMatrix itemFeatures, float channelWeight, TrainingContext context)
    {
        var als = new AlsOptions
        {
            Factors = _options.Factors,
            Regularization = _options.RegularizationOrDefault,
            Alpha = _options.Alpha,
            UseValues = _options.UseValues,
        };
        var weights = context.ResumeFrom is TwoTowerModel previous
            ? previous.Weights.Clone()
            : TwoTowerWeights.Random(train.UserCount, train.ItemCount, userFeatures.ColumnCount, itemFeatures.ColumnCount, _options.Factors, _options.InitStd, new Random(_options.Seed));
        var (users, items) = TwoTowerLeastSquares.Outputs(weights, userFeatures, itemFeatures);
        var solver = new TwoTowerLeastSquares(train, userFeatures, itemFeatures, als, _options.FeatureRegularization);
        return RunEpochs(weights, train, userFeatures, itemFeatures, channelWeight, context, epoch =>
        {
            var loss = solver.Sweep(weights, users, items);
            context.Report($"sweep {epoch}/{_options.EpochsOrDefault}", epoch, _options.EpochsOrDefault, loss);
            TwoTowerLeastSquares.Store(weights, users, items, userFeatures, itemFeatures);
            return loss;
        });
    }

    /// <summary>One pass of BPR: each positive against one sampled negative, plain SGD. Returns the mean loss.</summary>
    private double BprEpoch(TwoTowerWeights weights, CsrMatrix userFeatures, CsrMatrix itemFeatures, TwoTowerSampler sampler, EpochBuffers buffers, float lr, Action<int, int, double> progress)
    {
        var (eu, ei, ej, diff) = (buffers.User, buffers.Item, buffers.Negative, buffers.Direction);
        var reg = (float)_options.RegularizationOrDefault;
        var positives = sampler.Positives;
        double loss = 0;
        for (var step = 0; step < positives.Length; step++)
        {
            var (u, i) = sampler.Pair(positives[step]);
            var itemIds = sampler.NextItemIds();
            var j = sampler.NegativeFor(u, itemIds);
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
                progress(step, positives.Length, loss / Math.Max(1, step));
            }
        }

        return loss / Math.Max(1, positives.Length);
    }

    /// <summary>
    /// One pass of sampled softmax: batches of positives share <see cref="TwoTowerOptions.Negatives"/> negatives; each
    /// positive's user and item move at once, the negatives' accumulated gradients move them at the batch's end. A
    /// negative that is the positive itself (or, with RejectPositives, another item of the user) is left out of that
    /// positive's softmax. Returns the mean loss.
    /// </summary>
    private double SoftmaxEpoch(TwoTowerWeights weights, CsrMatrix userFeatures, CsrMatrix itemFeatures, TwoTowerSampler sampler, EpochBuffers buffers, float lr, Action<int, int, double> progress)
    {
        var k = weights.Factors;
        var m = _options.Negatives;
        var (eu, ei, direction) = (buffers.User, buffers.Item, buffers.Direction);
        var (negatives, negativeEmbeddings, negativeBias, logits, negativeGradients, negativeBiasGradients) =
            (buffers.Negatives, buffers.NegativeEmbeddings, buffers.NegativeBias, buffers.Logits, buffers.NegativeGradients, buffers.NegativeBiasGradients);
        var reg = (float)_options.RegularizationOrDefault;
        var positives = sampler.Positives;
        double loss = 0;
        for (var start = 0; start < positives.Length; start += _options.BatchSize)
        {
            var end = Math.Min(positives.Length, start + _options.BatchSize);
            var itemIds = sampler.NextItemIds();
            for (var n = 0; n < m; n++)
            {
                negatives[n] = sampler.Negative(itemIds);
                weights.EmbedItem(negatives[n], itemFeatures, negativeEmbeddings.AsSpan(n * k, k), itemIds);
                negativeBias[n] = weights.ItemBias(negatives[n], itemFeatures, itemIds);
            }

            Array.Clear(negativeGradients);
            Array.Clear(negativeBiasGradients);
            for (var step = start; step < end; step++)
            {
                var (u, i) = sampler.Pair(positives[step]);
                weights.EmbedUser(u, userFeatures, eu, _options.UseIds);
                weights.EmbedItem(i, itemFeatures, ei, itemIds);
                var positiveLogit = Dot(eu, ei) + weights.ItemBias(i, itemFeatures, itemIds);
                var max = positiveLogit;
                for (var n = 0; n < m; n++)
                {
                    logits[n] = sampler.Excluded(u, i, negatives[n]) ? float.NegativeInfinity : Dot(eu, negativeEmbeddings.AsSpan(n * k, k)) + negativeBias[n];
                    max = MathF.Max(max, logits[n]);
                }

                // Softmax over the positive and the negatives, shifted by the largest logit for stability.
                var positiveWeight = MathF.Exp(positiveLogit - max);
                var total = positiveWeight;
                for (var n = 0; n < m; n++)
                {
                    logits[n] = MathF.Exp(logits[n] - max);
                    total += logits[n];
                }

                loss += Math.Log(total) + max - positiveLogit;
                var pull = 1f - (positiveWeight / total); // 1 − p(positive): how far the positive is from winning
                ei.AsSpan().CopyTo(direction);
                Multiply(direction, pull, direction);
                for (var n = 0; n < m; n++)
                {
                    var p = logits[n] / total;
                    if (p > 0)
                    {
                        MultiplyAdd(negativeEmbeddings.AsSpan(n * k, k), -p, direction, direction);
                        MultiplyAdd(eu, -p, negativeGradients.AsSpan(n * k, k), negativeGradients.AsSpan(n * k, k));
                        negativeBiasGradients[n] -= p;
                    }
                }

                weights.StepUser(u, userFeatures, direction, lr, reg * lr, _options.UseIds);
                weights.StepItem(i, itemFeatures, eu, pull * lr, reg * lr, itemIds);
            }

            for (var n = 0; n < m; n++)
            {
                weights.StepItem(negatives[n], itemFeatures, negativeGradients.AsSpan(n * k, k), lr, negativeBiasGradients[n] * lr, reg * lr, itemIds);
            }

            if ((start & 0x3FFF) < _options.BatchSize)
            {
                progress(start, positives.Length, loss / Math.Max(1, start));
            }
        }

        return loss / Math.Max(1, positives.Length);
    }

    /// <summary>Blend weights tried for the content channel (0: the towers alone, 1: the mapped cosine alone).</summary>
    public static IReadOnlyList<float> ChannelWeights { get; } = [0f, 0.25f, 0.5f, 0.75f, 1f];

    private TwoTowerModel Build(TwoTowerWeights weights, Interactions train, CsrMatrix userFeatures, CsrMatrix itemFeatures, float channelWeight)
    {
        var userCounts = train.CountPerUser();
        var itemCounts = train.CountPerItem();
        weights.ZeroUnseenIds(userCounts, itemCounts);
        var channel = channelWeight > 0 ? ContentChannel.Build(channelWeight, train.ByUser, _itemFeatures!, itemCounts, _options.RelevanceThreshold) : null;
        return TwoTowerModel.Create(weights, userFeatures, itemFeatures, userCounts.Select(c => c > 0).ToArray(), _options.UseIds, channel);
    }

    /// <summary>
    /// The content channel's weight: over <see cref="TwoTowerOptions.ContentWeightFolds"/> folds (each with its own seed),
    /// a fifth of the items with interactions is held out with all of them and the towers are fitted on the rest; each
    /// candidate weight ranks the held-out items for their users, and the weight with the best NDCG@10 summed over the
    /// folds (relevant: <see cref="TwoTowerOptions.RelevanceThreshold"/>) is kept; ties go to the smaller weight.
    /// </summary>
    private float TuneChannel(Interactions train) => ChooseContentWeight(train).Weight;

    /// <summary>
    /// Measures every candidate content weight on held-out items (see <see cref="TuneChannel"/>) and returns the choice
    /// with what it rests on: NDCG@10 per fold and weight, and the weight each fold alone would have chosen (how
    /// stable the choice is across seeds).
    /// </summary>
    public ContentWeightChoice ChooseContentWeight(Interactions train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var judge = _judge ?? throw new ArgumentException("choosing the two-tower's content weight (two-tower option 'tuneContentWeight') needs a held-out judge to measure the candidate weights (RecKit.Evaluation.EvaluatorJudge; the main job supplies it).");
        if (_itemFeatures is not { ColumnCount: > 0 })
        {
            throw new ArgumentException("choosing the two-tower's content weight needs item features.");
        }

        var folds = _options.ContentWeightFolds;
        var ndcg = new double[folds][];
        for (var fold = 0; fold < folds; fold++)
        {
            ndcg[fold] = new double[ChannelWeights.Count];
            var (split, held) = Data.Splits.Splitter.HoldOut(train, items: true, 0.2, _options.Seed + fold);
            if (held.Count == 0 || split.Test.Count == 0)
            {
                continue;
            }

            var towers = new TwoTowerTrainer(_userFeatures, _itemFeatures, _options with { ContentChannel = false, TuneContentWeight = false, Seed = _options.Seed + fold }).Fit(split.Train);
            var counts = split.Train.CountPerItem();
            for (var w = 0; w < ChannelWeights.Count; w++)
            {
                var weight = ChannelWeights[w];
                var model = towers.WithChannel(weight > 0 ? ContentChannel.Build(weight, split.Train.ByUser, _itemFeatures, counts, _options.RelevanceThreshold) : null);
                ndcg[fold][w] = judge.Ndcg(model, split.Train, split.Test, held, 10, _options.RelevanceThreshold, _options.Seed);
            }
        }

        var (best, foldChoices) = HeldOutChoice.Pick(ndcg);
        return new ContentWeightChoice(ChannelWeights[best], ChannelWeights, ndcg, [.. foldChoices.Select(c => ChannelWeights[c])]);
    }

    /// <summary>Scratch vectors of a training pass, made once per fit.</summary>
    private sealed class EpochBuffers(int k, int negatives)
    {
        public float[] User { get; } = new float[k];
        public float[] Item { get; } = new float[k];
        public float[] Negative { get; } = new float[k];
        public float[] Direction { get; } = new float[k];
        public int[] Negatives { get; } = new int[negatives];
        public float[] NegativeEmbeddings { get; } = new float[negatives * k];
        public float[] NegativeBias { get; } = new float[negatives];
        public float[] Logits { get; } = new float[negatives];
        public float[] NegativeGradients { get; } = new float[negatives * k];
        public float[] NegativeBiasGradients { get; } = new float[negatives];
    }

    private static CsrMatrix Empty(int rows) => new(rows, 0, new int[rows + 1], [], []);

    /// <summary>Each row divided by the sum of its absolute values (empty rows stay empty).</summary>
    internal static CsrMatrix RowsSummingToOne(CsrMatrix features)
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
