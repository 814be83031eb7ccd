using System.Diagnostics;
using RecKit.Data;
using RecKit.Kernels;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>
/// Explicit matrix factorisation (seeds 001 and 003 §4.3) by SGD on the squared error with L2 penalties and a
/// decaying step. Threads share the parameters without locks (Hogwild: collisions on a row are rare and
/// harmless for SGD); with one thread the result is the same bit for bit for a seed. With the implicit term
/// (SVD++) each user's ratings are visited together so the implicit sum is computed once per user per epoch.
/// </summary>
public sealed class MatrixFactorizationTrainer : ITrainer<LatentFactorModel>
{
    private readonly MatrixFactorizationOptions _options;

    private string DivergenceRemedy => FormattableString.Invariant($"The learning rate is too high for these ratings (learningRate {_options.LearningRate}): lower it, or raise regularization ({_options.Regularization}); check that the values are ratings on one scale.");

    public MatrixFactorizationTrainer(MatrixFactorizationOptions? options = null)
    {
        _options = options ?? new MatrixFactorizationOptions();
        _options.Validate();
    }

    public LatentFactorModel Fit(Interactions train, TrainingContext? context = null)
    {
        context ??= TrainingContext.None;
        var k = _options.Factors;
        var users = train.UserCount;
        var items = train.ItemCount;
        var values = train.Values;
        double sum = 0;
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in values)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var mu = train.Count > 0 ? (float)(sum / train.Count) : 0f;
        // A checkpoint's trainer state holds the exact parameters (the model folds biases into offsets and SVD++'s
        // implicit factors into the user vectors); a bare model is the fallback for a warm start.
        var state = context.ResumeState is { } saved ? State.Import(saved, users, items, k)
            : context.ResumeFrom is LatentFactorModel previous ? State.From(previous, mu)
            : State.Random(users, items, k, (float)_options.InitStd, _options.Seed);
        var threads = _options.Threads ?? Environment.ProcessorCount;
        var byUser = train.ByUser;
        var order = Enumerable.Range(0, _options.UseImplicitTerm ? users : train.Count).ToArray();
        var losses = new double[threads];
        for (var epoch = context.CompletedEpochs + 1; epoch <= _options.Epochs; epoch++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            // Each epoch's order follows from its own seed alone (not from the last epoch's order): resumable exactly.
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            new Random(FastRandom.DeriveSeed(_options.Seed, epoch)).Shuffle(order);
            Array.Clear(losses);
            // From the epoch number alone, so that a resumed run takes exactly the steps an uninterrupted one would.
            var step = (float)(_options.LearningRate * Math.Pow(_options.LearningRateDecay, epoch - 1));
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var start = (int)((long)order.Length * t / threads);
                var end = (int)((long)order.Length * (t + 1) / threads);
                losses[t] = _options.UseImplicitTerm
                    ? SvdPlusPlusPass(state, byUser, order.AsSpan(start, end - start), mu, step)
                    : SgdPass(state, train, order.AsSpan(start, end - start), mu, step);
            });
            var rmse = Math.Sqrt(losses.Sum() / Math.Max(1, train.Count));
            context.Report($"epoch {epoch}/{_options.Epochs}", epoch, _options.Epochs, rmse);
            if (context.EndEpoch("Explicit MF", DivergenceRemedy, epoch, _options.Epochs, rmse, clock.Elapsed, () => Build(state.Clone(), train, byUser, mu, min, max), state.Export) == EpochDecision.Stop)
            {
                break;
            }
        }

        return Build(state, train, byUser, mu, min, max);
    }

    /// <summary>One thread's share of an epoch of plain biased MF; returns its summed squared error.</summary>
    private double SgdPass(State s, Interactions train, ReadOnlySpan<int> positions, float mu, float lr)
    {
        var k = _options.Factors;
        var reg = (float)_options.Regularization;
        var biasReg = (float)_options.BiasRegularization;
        var users = train.Users;
        var items = train.Items;
        var values = train.Values;
        double loss = 0;
        foreach (var p in positions)
        {
            int u = users[p], i = items[p];
            var pu = s.P.AsSpan(u * k, k);
            var qi = s.Q.AsSpan(i * k, k);
            var error = values[p] - (mu + s.UserBias[u] + s.ItemBias[i] + Dot(pu, qi));
            loss += error * error;
            s.UserBias[u] += lr * (error - (biasReg * s.UserBias[u]));
            s.ItemBias[i] += lr * (error - (biasReg * s.ItemBias[i]));
            FactorSgd.Step(pu, qi, error, lr, reg);
        }

        return loss;
    }

    /// <summary>One thread's users for an SVD++ epoch: z_u = p_u + |N(u)|^-½ Σ y_j, updated as p_u moves; y_j once per user.</summary>
    private double SvdPlusPlusPass(State s, CsrMatrix byUser, ReadOnlySpan<int> users, float mu, float lr)
    {
        var k = _options.Factors;
        var reg = (float)_options.Regularization;
        var biasReg = (float)_options.BiasRegularization;
        Span<float> z = stackalloc float[k];
        Span<float> implicitGradient = stackalloc float[k];
        Span<float> oldQ = stackalloc float[k];
        double loss = 0;
        foreach (var u in users)
        {
            var rated = byUser.RowColumns(u);
            if (rated.IsEmpty)
            {
                continue;
            }

            var ratings = byUser.RowValues(u);
            var norm = 1f / MathF.Sqrt(rated.Length);
            var pu = s.P.AsSpan(u * k, k);
            z.Clear();
            foreach (var j in rated)
            {
                Add(z, s.Y.AsSpan(j * k, k), z);
            }

            Multiply(z, norm, z);
            Add(z, pu, z);
            implicitGradient.Clear();
            for (var r = 0; r < rated.Length; r++)
            {
                var i = rated[r];
                var qi = s.Q.AsSpan(i * k, k);
                var error = ratings[r] - (mu + s.UserBias[u] + s.ItemBias[i] + Dot(z, qi));
                loss += error * error;
                s.UserBias[u] += lr * (error - (biasReg * s.UserBias[u]));
                s.ItemBias[i] += lr * (error - (biasReg * s.ItemBias[i]));
                qi.CopyTo(oldQ);
                // q_i ← q_i + lr(e·z − λq_i); p_u ← p_u + lr(e·q_i − λp_u), and z follows p_u's move.
                Multiply(qi, 1 - (lr * reg), qi);
                MultiplyAdd(z, lr * error, qi, qi);
                Subtract(z, pu, z);
                Multiply(pu, 1 - (lr * reg), pu);
                MultiplyAdd(oldQ, lr * error, pu, pu);
                Add(z, pu, z);
                MultiplyAdd(oldQ, error, implicitGradient, implicitGradient);
            }

            // y_j ← y_j + lr(|N(u)|^-½ Σ_r e_r q_r − λ y_j), applied once for the user.
            Multiply(implicitGradient, lr * norm, implicitGradient);
            foreach (var j in rated)
            {
                var yj = s.Y.AsSpan(j * k, k);
                Multiply(yj, 1 - (lr * reg), yj);
                Add(yj, implicitGradient, yj);
            }
        }

        return loss;
    }

    private LatentFactorModel Build(State s, Interactions train, CsrMatrix byUser, float mu, float min, float max)
    {
        var k = _options.Factors;
        var known = new bool[train.UserCount];
        var userVectors = (float[])s.P.Clone();
        var offset = new float[train.UserCount];
        for (var u = 0; u < train.UserCount; u++)
        {
            var rated = byUser.RowColumns(u);
            known[u] = !rated.IsEmpty;
            offset[u] = mu + s.UserBias[u];
            if (_options.UseImplicitTerm && known[u])
            {
                var vector = userVectors.AsSpan(u * k, k);
                var norm = 1f / MathF.Sqrt(rated.Length);
                foreach (var j in rated)
                {
                    MultiplyAdd(s.Y.AsSpan(j * k, k), norm, vector, vector);
                }
            }
        }

        var cold = new float[train.ItemCount];
        Add(s.ItemBias, mu, cold);
        return new LatentFactorModel(_options.UseImplicitTerm ? "svd++" : "mf", k, userVectors, s.Q, s.ItemBias, offset, cold, known, train.Count > 0 ? (min, max) : null);
    }

    /// <summary>The parameters being learned.</summary>
    private sealed class State(float[] p, float[] q, float[] y, float[] userBias, float[] itemBias)
    {
        public float[] P { get; } = p;

        public float[] Q { get; } = q;

        public float[] Y { get; } = y;

        public float[] UserBias { get; } = userBias;

        public float[] ItemBias { get; } = itemBias;

        public static State Random(int users, int items, int k, float std, int seed)
        {
            var random = new FastRandom((ulong)seed);
            var p = new float[users * k];
            var q = new float[items * k];
            random.FillGaussian(p, std);
            random.FillGaussian(q, std);
            return new State(p, q, new float[items * k], new float[users], new float[items]);
        }

        /// <summary>Continues from a saved model (its implicit term is already folded into the user vectors).</summary>
        public TrainerState Export()
        {
            var state = new TrainerState();
            state.Floats["p"] = (float[])P.Clone();
            state.Floats["q"] = (float[])Q.Clone();
            state.Floats["y"] = (float[])Y.Clone();
            state.Floats["userBias"] = (float[])UserBias.Clone();
            state.Floats["itemBias"] = (float[])ItemBias.Clone();
            return state;
        }

        public static State Import(TrainerState state, int users, int items, int k) => new(
            (float[])state.RequireValues("p", users * k).Clone(),
            (float[])state.RequireValues("q", items * k).Clone(),
            (float[])state.RequireValues("y", items * k).Clone(),
            (float[])state.RequireValues("userBias", users).Clone(),
            (float[])state.RequireValues("itemBias", items).Clone());

        public static State From(LatentFactorModel model, float mu)
        {
            var users = model.UserCount;
            var k = model.Factors;
            var p = new float[users * k];
            var userBias = new float[users];
            Span<float> vector = stackalloc float[k];
            for (var u = 0; u < users; u++)
            {
                model.TryGetUserVector(u, vector, out var offset);
                vector.CopyTo(p.AsSpan(u * k, k));
                userBias[u] = offset - mu;
            }

            return new State(p, model.AllItemFactors.ToArray(), new float[model.ItemCount * k], userBias, model.ItemBiases.ToArray());
        }

        public State Clone() => new((float[])P.Clone(), (float[])Q.Clone(), (float[])Y.Clone(), (float[])UserBias.Clone(), (float[])ItemBias.Clone());
    }
}
