using System.Diagnostics;
using RecKit.Data;
using RecKit.Kernels;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>
/// Implicit matrix factorisation with a pairwise loss (design note 0: Spotlight's ImplicitFactorizationModel):
/// score = p_uᵀq_i + b_i, each observed (u, i) pushed above a uniformly sampled item j. Two paths: minibatch Adam
/// that mirrors Spotlight, and lock-free parallel SGD (Hogwild) for speed. Every training interaction is a
/// positive whatever its value (filter with <see cref="Interactions.ToImplicit"/> first to keep only liked items).
/// </summary>
public sealed class BprTrainer : ITrainer<LatentFactorModel>
{
    private readonly BprOptions _options;

    private string DivergenceRemedy => FormattableString.Invariant($"The learning rate is too high (learningRate {_options.LearningRateOrDefault}, optimizer {_options.Optimizer}): lower it, or raise l2 ({_options.L2OrDefault}).");

    public BprTrainer(BprOptions? options = null)
    {
        _options = options ?? new BprOptions();
        _options.Validate();
    }

    public LatentFactorModel Fit(Interactions train, TrainingContext? context = null)
    {
        context ??= TrainingContext.None;
        var k = _options.Factors;
        var state = context.ResumeFrom is LatentFactorModel previous
            ? new BprState(previous.AllUserFactors.ToArray(), previous.AllItemFactors.ToArray(), previous.ItemBiases.ToArray(), k)
            : BprState.Random(train.UserCount, train.ItemCount, k, (float)(_options.InitStd ?? 1.0 / k), _options.Seed);
        var seen = train.ByUser;
        var adam = _options.Optimizer == ImplicitOptimizer.Adam;
        if (adam && context.ResumeFrom is not null)
        {
            // Without its moments, Adam would restart its bias corrections: the resumed run would not equal an uninterrupted one.
            state.RestoreAdam(context.ResumeState ?? throw new ArgumentException("Resuming BPR with Adam needs the optimizer state saved in the checkpoint; this checkpoint has none."), train.Count);
        }

        for (var epoch = context.CompletedEpochs + 1; epoch <= _options.EpochsOrDefault; epoch++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var loss = _options.Optimizer == ImplicitOptimizer.Hogwild
                ? HogwildEpoch(state, train, seen, epoch)
                : AdamEpoch(state, train, seen, epoch, context);
            context.Report($"epoch {epoch}/{_options.EpochsOrDefault}", epoch, _options.EpochsOrDefault, loss);
            if (context.EndEpoch("BPR", DivergenceRemedy, epoch, _options.EpochsOrDefault, loss, clock.Elapsed, () => Build(state.Clone(), train), adam ? state.ExportAdam : null) == EpochDecision.Stop)
            {
                break;
            }
        }

        return Build(state, train);
    }

    /// <summary>
    /// A user vector for someone not in training, from the items they interacted with: BPR SGD on the user vector
    /// alone, item factors and biases fixed (no retraining). Score it with <see cref="LatentFactorModel.ScoreVector"/>.
    /// </summary>
    public static float[] FoldIn(LatentFactorModel model, ReadOnlySpan<int> items, int seed = 0, int epochs = 100, float learningRate = 0.05f, float regularization = 0.01f)
    {
        var k = model.Factors;
        var random = new FastRandom((ulong)seed);
        var x = new float[k];
        random.FillGaussian(x, 0.01f);
        if (items.IsEmpty)
        {
            return x;
        }

        var own = new HashSet<int>(items.ToArray());
        Span<float> difference = stackalloc float[k];
        var bias = model.ItemBiases;
        for (var step = 0; step < epochs * items.Length; step++)
        {
            var i = items[random.Next(items.Length)];
            int j;
            do
            {
                j = random.Next(model.ItemCount);
            }
            while (own.Contains(j) && own.Count < model.ItemCount);

            Subtract(model.ItemFactors(i), model.ItemFactors(j), difference);
            var d = Dot(x, difference) + bias[i] - bias[j];
            var g = 1f / (1f + MathF.Exp(d));
            Multiply(x, 1 - (learningRate * regularization), x);
            MultiplyAdd(difference, learningRate * g, x, x);
        }

        return x;
    }

    /// <summary>g = −∂loss/∂d for d = score(positive) − score(negative), and the loss itself.</summary>
    private (float G, float Loss) Gradient(float d) => _options.Loss switch
    {
        ImplicitLoss.Bpr => LogSigmoid(d),
        ImplicitLoss.SpotlightBpr => Spotlight(1f / (1f + MathF.Exp(-d))),
        _ => d < 1 ? (1f, 1 - d) : (0f, 0f),
    };

    private static (float, float) Spotlight(float sigma) => (sigma * (1 - sigma), 1 - sigma);

    /// <summary>σ(−d) and −ln σ(d) from one exponential.</summary>
    private static (float, float) LogSigmoid(float d)
    {
        if (d < -30f)
        {
            return (1f, -d);
        }

        var e = MathF.Exp(-d);
        return (e / (1f + e), MathF.Log(1f + e));
    }

    /// <summary>The negative for a positive: uniform, or for the adaptive hinge the highest-scoring of several.</summary>
    private int Negative(BprState s, CsrMatrix seen, int user, ref FastRandom random)
    {
        var k = _options.Factors;
        var draws = _options.Loss == ImplicitLoss.AdaptiveHinge ? _options.NegativeSamples : 1;
        var best = -1;
        var bestScore = float.NegativeInfinity;
        var x = s.P.AsSpan(user * k, k);
        for (var n = 0; n < draws; n++)
        {
            var j = random.Next(s.Items);
            for (var tries = 0; _options.RejectPositives && tries < 10 && seen.Contains(user, j); tries++)
            {
                j = random.Next(s.Items);
            }

            if (draws == 1)
            {
                return j;
            }

            var score = Dot(x, s.Q.AsSpan(j * k, k)) + s.B[j];
            if (score > bestScore)
            {
                (best, bestScore) = (j, score);
            }
        }

        return best;
    }

    /// <summary>How many samples ahead the Adam path starts loading a sample's rows.</summary>
    private const int PrefetchDistance = 8;

    /// <summary>Parameter rows per task in the parallel Adam updates.</summary>
    private const int AdamRowsPerTask = 128;

    /// <summary>How many times an epoch each Hogwild thread merges its copy of the item rows (see <see cref="RowReplica"/>).</summary>
    private const int MergesPerEpoch = 16;

    /// <summary>The fewest samples between merges: a merge costs a pass over the item matrix.</summary>
    private const int MinSamplesBetweenMerges = 4096;

    /// <summary>
    /// One Hogwild epoch: users in a fresh seeded order, cut into one contiguous share per thread with equal
    /// numbers of interactions; each user gets as many samples as they have positives, each positive drawn at
    /// random from the user's own items. Visiting a user's samples together keeps the user's row in cache.
    /// </summary>
    private double HogwildEpoch(BprState s, Interactions train, CsrMatrix seen, int epoch)
    {
        var threads = _options.Threads ?? Environment.ProcessorCount;
        var losses = new double[threads];
        var lr = (float)_options.LearningRateOrDefault;
        var reg = (float)_options.L2OrDefault;
        var k = _options.Factors;
        var order = Enumerable.Range(0, seen.RowCount).ToArray();
        new Random(FastRandom.DeriveSeed(_options.Seed, epoch)).Shuffle(order);
        var cuts = new int[threads + 1];
        long running = 0;
        var share = 1;
        for (var o = 0; o < order.Length && share < threads; o++)
        {
            running += seen.RowLength(order[o]);
            if (running * threads >= (long)seen.NonZeroCount * share)
            {
                cuts[share++] = o + 1;
            }
        }

        for (; share <= threads; share++)
        {
            cuts[share] = order.Length;
        }

        // With one thread nothing is contended: the shared rows are used directly (and the result is bit for bit
        // reproducible); with more, each thread works on its own copy of the item rows.
        var replicas = threads > 1 ? s.ItemReplicas(threads) : null;
        var mergeEvery = Math.Max(MinSamplesBetweenMerges, seen.NonZeroCount / (threads * MergesPerEpoch));
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var random = new FastRandom((ulong)FastRandom.DeriveSeed(_options.Seed, epoch, t));
            var replica = replicas?[t];
            replica?.Refresh();
            var sinceMerge = 0;
            double loss = 0;
            for (var o = cuts[t]; o < cuts[t + 1]; o++)
            {
                var u = order[o];
                var positives = seen.RowColumns(u);
                var x = s.P.AsSpan(u * k, k);
                for (var step = 0; step < positives.Length; step++)
                {
                    var i = positives[random.Next(positives.Length)];
                    var j = Negative(s, seen, u, ref random);
                    var qi = replica is null ? s.Q.AsSpan(i * k, k) : replica.Row(i);
                    var qj = replica is null ? s.Q.AsSpan(j * k, k) : replica.Row(j);
                    ref var bi = ref replica is null ? ref s.B[i] : ref replica.Bias(i);
                    ref var bj = ref replica is null ? ref s.B[j] : ref replica.Bias(j);
                    var d = PairwiseStep.Margin(x, qi, qj) + bi - bj;
                    var (g, l) = Gradient(d);
                    loss += l;
                    if (g == 0 || i == j)
                    {
                        continue;
                    }

                    PairwiseStep.Apply(x, qi, qj, g, lr, reg);
                    bi += lr * (g - (reg * bi));
                    bj += lr * (-g - (reg * bj));
                }

                sinceMerge += positives.Length;
                if (replica is not null && sinceMerge >= mergeEvery)
                {
                    replica.Merge();
                    sinceMerge = 0;
                }
            }

            replica?.Merge();
            losses[t] = loss;
        });
        return losses.Sum() / Math.Max(1, train.Count);
    }

    private double AdamEpoch(BprState s, Interactions train, CsrMatrix seen, int epoch, TrainingContext context)
    {
        var k = _options.Factors;
        var lr = (float)_options.LearningRateOrDefault;
        var decay = (float)_options.L2OrDefault;
        s.EnsureAdam(train.Count);
        var order = s.SampleOrder;
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new Random(FastRandom.DeriveSeed(_options.Seed, epoch)).Shuffle(order);
        var random = new FastRandom((ulong)FastRandom.DeriveSeed(_options.Seed, epoch, -1));
        var users = train.Users;
        var items = train.Items;
        var touchedUsers = new List<int>();
        var touchedItems = new List<int>();
        var adamParallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Threads ?? Environment.ProcessorCount };
        var batchesPerEpoch = (order.Length + _options.BatchSize - 1) / _options.BatchSize;
        var corrections = s.AdamCorrections(epoch * batchesPerEpoch);
        double loss = 0;
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            var batch = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start));
            var scale = 1f / batch.Length; // the loss is the batch mean, as in Spotlight
            for (var b = 0; b < batch.Length; b++)
            {
                // The rows of upcoming samples are scattered over memory: start loading them while this one computes.
                if (b + (2 * PrefetchDistance) < batch.Length)
                {
                    Prefetch.Element(users, batch[b + (2 * PrefetchDistance)]);
                    Prefetch.Element(items, batch[b + (2 * PrefetchDistance)]);
                }

                if (b + PrefetchDistance < batch.Length)
                {
                    var ahead = batch[b + PrefetchDistance];
                    Prefetch.Span<float>(s.P.AsSpan(users[ahead] * k, k));
                    Prefetch.Span<float>(s.GradP.AsSpan(users[ahead] * k, k));
                    Prefetch.Span<float>(s.GradQ.AsSpan(items[ahead] * k, k));
                }

                var p = batch[b];
                int u = users[p], i = items[p];
                var j = Negative(s, seen, u, ref random);
                var x = s.P.AsSpan(u * k, k);
                var qi = s.Q.AsSpan(i * k, k);
                var qj = s.Q.AsSpan(j * k, k);
                var d = Dot(x, qi) - Dot(x, qj) + s.B[i] - s.B[j];
                var (g, l) = Gradient(d);
                loss += l;
                Touch(s.UserTouched, touchedUsers, u);
                Touch(s.ItemTouched, touchedItems, i);
                Touch(s.ItemTouched, touchedItems, j);
                if (g == 0)
                {
                    continue;
                }

                // Gradients of the loss (to be descended): ∂/∂x = −g(q_i − q_j), ∂/∂q_i = −g·x, ∂/∂q_j = g·x.
                var gu = s.GradP.AsSpan(u * k, k);
                MultiplyAdd(qi, -g * scale, gu, gu);
                MultiplyAdd(qj, g * scale, gu, gu);
                MultiplyAdd(x, -g * scale, s.GradQ.AsSpan(i * k, k), s.GradQ.AsSpan(i * k, k));
                MultiplyAdd(x, g * scale, s.GradQ.AsSpan(j * k, k), s.GradQ.AsSpan(j * k, k));
                s.GradB[i] -= g * scale;
                s.GradB[j] += g * scale;
            }

            // The updates of different rows are independent: spread them over the cores (the result does not depend
            // on how; the rows' state is scattered over memory, so this part waits on memory, not arithmetic).
            var rowCount = touchedUsers.Count + touchedItems.Count;
            WorkerLoop.For((rowCount + AdamRowsPerTask - 1) / AdamRowsPerTask, adamParallel, () => 0, (chunk, _) =>
            {
                for (var r = chunk * AdamRowsPerTask; r < Math.Min(rowCount, (chunk + 1) * AdamRowsPerTask); r++)
                {
                    if (r < touchedUsers.Count)
                    {
                        var u = touchedUsers[r];
                        s.UserTouched[u] = false;
                        s.UserSteps[u]++;
                        var (c1, c2) = corrections[s.UserSteps[u]];
                        AdamStep.Apply(s.P.AsSpan(u * k, k), s.GradP.AsSpan(u * k, k), s.MP.AsSpan(u * k, k), s.VP.AsSpan(u * k, k), c1, c2, lr, decay);
                        s.GradP.AsSpan(u * k, k).Clear();
                    }
                    else
                    {
                        var i = touchedItems[r - touchedUsers.Count];
                        s.ItemTouched[i] = false;
                        s.ItemSteps[i]++;
                        var (c1, c2) = corrections[s.ItemSteps[i]];
                        AdamStep.Apply(s.Q.AsSpan(i * k, k), s.GradQ.AsSpan(i * k, k), s.MQ.AsSpan(i * k, k), s.VQ.AsSpan(i * k, k), c1, c2, lr, decay);
                        AdamStep.Apply(s.B.AsSpan(i, 1), s.GradB.AsSpan(i, 1), s.MB.AsSpan(i, 1), s.VB.AsSpan(i, 1), c1, c2, lr, decay);
                        s.GradQ.AsSpan(i * k, k).Clear();
                        s.GradB[i] = 0;
                    }
                }
            });

            touchedUsers.Clear();
            touchedItems.Clear();
            if ((start / _options.BatchSize) % 64 == 0)
            {
                // Done and total over the whole fit (not this epoch), so that a progress bar's time left means the fit's.
                context.Report($"epoch {epoch}/{_options.EpochsOrDefault}", ((long)(epoch - 1) * order.Length) + start, (long)_options.EpochsOrDefault * order.Length, loss / Math.Max(1, start + batch.Length));
            }
        }

        return loss / Math.Max(1, train.Count);
    }

    private static void Touch(bool[] marks, List<int> touched, int row)
    {
        if (!marks[row])
        {
            marks[row] = true;
            touched.Add(row);
        }
    }

    private LatentFactorModel Build(BprState s, Interactions train)
    {
        var known = train.CountPerUser().Select(c => c > 0).ToArray();
        return new LatentFactorModel("bpr", _options.Factors, s.P, s.Q, s.B, new float[train.UserCount], (float[])s.B.Clone(), known, null);
    }
}
