using System.Diagnostics;
using RecKit.Data;
using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Evaluation;

/// <summary>
/// The one evaluation protocol: each user's full-catalogue ranking with training items excluded,
/// compared with the user's relevant test items; users in parallel, each with its own buffers.
/// </summary>
public static class Evaluator
{
    /// <summary>Users between two progress reports.</summary>
    private const int ProgressEvery = 256;

    public static EvaluationResult Evaluate(IRecommender model, Interactions train, Interactions test, EvaluationOptions? options = null)
    {
        options ??= new EvaluationOptions();
        options.Validate();
        if (model.UserCount != test.UserCount || model.ItemCount != test.ItemCount || train.ItemCount != test.ItemCount)
        {
            throw new ArgumentException(
                $"Model ({model.UserCount}×{model.ItemCount}), training ({train.UserCount}×{train.ItemCount}) and test ({test.UserCount}×{test.ItemCount}) must share one index space.");
        }

        var clock = Stopwatch.StartNew();
        var seen = train.ByUser;
        var testByUser = test.ByUser;
        var relevantByUser = RelevantItems(seen, testByUser, options);
        var withTest = 0;
        var candidates = new List<int>();
        for (var u = 0; u < test.UserCount; u++)
        {
            if (testByUser.RowLength(u) == 0)
            {
                continue;
            }

            withTest++;
            if (relevantByUser[u].Length > 0)
            {
                candidates.Add(u);
            }
        }

        var users = Sample(candidates, options);
        var ks = options.Ks.Distinct().Order().ToArray();
        var maxK = Math.Min(ks[^1], model.ItemCount);
        var perK = 5;
        var width = (ks.Length * perK) + 2; // + MRR, AUC
        var figures = new double[users.Length * width];
        var recommended = new int[users.Length * maxK];
        var listLength = new int[users.Length];

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        var done = 0;
        var progress = options.Progress;
        Parallel.For(
            0,
            users.Length,
            parallel,
            () => new Buffers(model.ItemCount, maxK),
            (slot, _, buffers) =>
            {
                var u = users[slot];
                var relevant = relevantByUser[u];
                var scores = buffers.Scores;
                model.ScoreAll(u, scores);
                foreach (ref var s in scores.AsSpan())
                {
                    if (float.IsNaN(s))
                    {
                        s = float.NegativeInfinity;
                    }
                }

                if (options.ExcludeTrainingItems)
                {
                    foreach (var i in seen.RowColumns(u))
                    {
                        scores[i] = float.NegativeInfinity;
                    }
                }

                var top = buffers.Top;
                var n = TopK.Select(scores, maxK, top);
                var hits = buffers.Hits.AsSpan(0, n);
                for (var r = 0; r < n; r++)
                {
                    hits[r] = relevant.AsSpan().BinarySearch(top[r]) >= 0;
                }

                var row = figures.AsSpan(slot * width, width);
                for (var j = 0; j < ks.Length; j++)
                {
                    var k = ks[j];
                    row[(j * perK) + 0] = RankingMetrics.HitRate(hits, k);
                    row[(j * perK) + 1] = RankingMetrics.Precision(hits, k);
                    row[(j * perK) + 2] = RankingMetrics.Recall(hits, k, relevant.Length);
                    row[(j * perK) + 3] = RankingMetrics.AveragePrecision(hits, k, relevant.Length);
                    row[(j * perK) + 4] = RankingMetrics.Ndcg(hits, k, relevant.Length);
                }

                row[^2] = RankingMetrics.ReciprocalRank(FirstRelevantRank(scores, relevant));
                row[^1] = options.ComputeAuc ? Auc(scores, relevant, buffers.Sorted, buffers.RelevantSorted) : double.NaN;
                top.AsSpan(0, n).CopyTo(recommended.AsSpan(slot * maxK, maxK));
                listLength[slot] = n;
                if (progress is not null && Interlocked.Increment(ref done) is var finished && (finished % ProgressEvery == 0 || finished == users.Length))
                {
                    progress.Report(new RecKit.Models.TrainingProgress("users evaluated", finished, users.Length, null));
                }

                return buffers;
            },
            _ => { });

        var metrics = new List<Metric>();
        for (var j = 0; j < ks.Length; j++)
        {
            var k = ks[j];
            metrics.Add(new($"HitRate@{k}", Mean(figures, width, (j * perK) + 0)));
            metrics.Add(new($"Precision@{k}", Mean(figures, width, (j * perK) + 1)));
            metrics.Add(new($"Recall@{k}", Mean(figures, width, (j * perK) + 2)));
            metrics.Add(new($"MAP@{k}", Mean(figures, width, (j * perK) + 3)));
            metrics.Add(new($"NDCG@{k}", Mean(figures, width, (j * perK) + 4)));
        }

        metrics.Add(new("MRR", Mean(figures, width, width - 2)));
        if (options.ComputeAuc)
        {
            metrics.Add(new("AUC", Mean(figures, width, width - 1)));
        }

        foreach (var k in ks)
        {
            metrics.Add(new($"Coverage@{k}", Coverage(recommended, listLength, maxK, k, model.ItemCount)));
        }

        var rated = 0;
        if (model is IRatingPredictor { PredictsRatings: true } predictor && test.HasRatings)
        {
            // Every test rating counts, relevant or not; only a user sample narrows it to the sampled users.
            (var rmse, var mae, rated) = RatingErrors(predictor, test, options.SampleUsers is null ? null : users);
            metrics.Add(new("RMSE", rmse));
            metrics.Add(new("MAE", mae));
        }

        clock.Stop();
        var itemSeen = new bool[train.ItemCount];
        foreach (var i in train.Items)
        {
            itemSeen[i] = true;
        }

        return new EvaluationResult
        {
            Metrics = metrics,
            UsersEvaluated = users.Length,
            UsersWithoutRelevant = withTest - candidates.Count,
            ColdStartUsers = users.Count(u => seen.RowLength(u) == 0),
            ColdStartItems = users.Sum(u => relevantByUser[u].Count(i => !itemSeen[i])),
            RatingsPredicted = rated,
            PerUser = options.KeepPerUser ? PerUser(users, relevantByUser, figures, width, metrics) : null,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>Each user's relevant test items, sorted, training items removed when they are excluded.</summary>
    private static int[][] RelevantItems(CsrMatrix seen, CsrMatrix testByUser, EvaluationOptions options)
    {
        var result = new int[testByUser.RowCount][];
        var buffer = new List<int>();
        for (var u = 0; u < result.Length; u++)
        {
            buffer.Clear();
            var items = testByUser.RowColumns(u);
            var values = testByUser.RowValues(u);
            for (var j = 0; j < items.Length; j++)
            {
                if (!Relevance.IsRelevant(values[j], options.RelevanceThreshold))
                {
                    continue;
                }

                if (options.ExcludeTrainingItems && seen.Contains(u, items[j]))
                {
                    continue;
                }

                buffer.Add(items[j]);
            }

            result[u] = buffer.ToArray(); // ascending: CSR rows are sorted
        }

        return result;
    }

    private static int[] Sample(List<int> candidates, EvaluationOptions options)
    {
        if (options.SampleUsers is not { } n || n >= candidates.Count)
        {
            return candidates.ToArray();
        }

        var array = candidates.ToArray();
        new Random(options.Seed).Shuffle(array);
        var sample = array[..n];
        Array.Sort(sample);
        return sample;
    }

    /// <summary>1-based rank of the best-ranked relevant item, ties broken by lower index as in <see cref="TopK"/>; 0 when none can be ranked.</summary>
    internal static long FirstRelevantRank(ReadOnlySpan<float> scores, int[] relevant)
    {
        var best = -1;
        var bestScore = float.NegativeInfinity;
        foreach (var i in relevant)
        {
            if (scores[i] > bestScore)
            {
                best = i;
                bestScore = scores[i];
            }
        }

        if (best < 0)
        {
            return 0;
        }

        long ahead = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (s > bestScore || (s == bestScore && i < best))
            {
                ahead++;
            }
        }

        return ahead + 1;
    }

    /// <summary>
    /// Probability that a relevant item outscores a non-relevant candidate (ties count ½). Candidates are the
    /// items not excluded (score above -∞); an unscorable relevant item counts as ranked below all of them.
    /// </summary>
    internal static double Auc(ReadOnlySpan<float> scores, int[] relevant, float[] sorted, float[] relevantSorted)
    {
        var n = 0;
        foreach (var s in scores)
        {
            if (s > float.NegativeInfinity)
            {
                sorted[n++] = s;
            }
        }

        var all = sorted.AsSpan(0, n);
        all.Sort();
        var r = 0;
        foreach (var i in relevant)
        {
            if (scores[i] > float.NegativeInfinity)
            {
                relevantSorted[r++] = scores[i];
            }
        }

        var rel = relevantSorted.AsSpan(0, r);
        rel.Sort();
        var negatives = n - r;
        if (negatives <= 0)
        {
            return double.NaN;
        }

        // For each scorable relevant item: negatives strictly below plus half the tied negatives, found by
        // binary search in both sorted lists (O((n + |rel|) log n), never |rel|²).
        double wins = 0;
        foreach (var s in rel)
        {
            var below = LowerBound(all, s) - LowerBound(rel, s);
            var tied = (LowerBound(all, BitIncrement(s)) - LowerBound(all, s)) - (LowerBound(rel, BitIncrement(s)) - LowerBound(rel, s));
            wins += below + (0.5 * tied);
        }

        return wins / ((double)relevant.Length * negatives);
    }

    private static float BitIncrement(float s) => MathF.BitIncrement(s);

    private static int LowerBound(ReadOnlySpan<float> sorted, float value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static double Mean(double[] figures, int width, int column)
    {
        var rows = figures.Length / width;
        if (rows == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        var counted = 0;
        for (var r = 0; r < rows; r++)
        {
            var v = figures[(r * width) + column];
            if (!double.IsNaN(v))
            {
                sum += v;
                counted++;
            }
        }

        return counted > 0 ? sum / counted : double.NaN;
    }

    private static double Coverage(int[] recommended, int[] listLength, int maxK, int k, int itemCount)
    {
        var shown = new bool[itemCount];
        for (var slot = 0; slot < listLength.Length; slot++)
        {
            var n = Math.Min(k, listLength[slot]);
            foreach (var i in recommended.AsSpan(slot * maxK, n))
            {
                shown[i] = true;
            }
        }

        return itemCount == 0 ? 0 : (double)shown.Count(s => s) / itemCount;
    }

    private static (double Rmse, double Mae, int Count) RatingErrors(IRatingPredictor predictor, Interactions test, int[]? users)
    {
        var chosen = new bool[test.UserCount];
        foreach (var u in users ?? [])
        {
            chosen[u] = true;
        }

        double squared = 0, absolute = 0;
        var count = 0;
        var tu = test.Users;
        var ti = test.Items;
        var tv = test.Values;
        for (var k = 0; k < test.Count; k++)
        {
            if (users is not null && !chosen[tu[k]])
            {
                continue;
            }

            var error = predictor.PredictRating(tu[k], ti[k]) - tv[k];
            squared += (double)error * error;
            absolute += Math.Abs(error);
            count++;
        }

        return count == 0 ? (double.NaN, double.NaN, 0) : (Math.Sqrt(squared / count), absolute / count, count);
    }

    private static List<UserEvaluation> PerUser(int[] users, int[][] relevant, double[] figures, int width, List<Metric> metrics)
    {
        var names = metrics.Take(width).Select(m => m.Name).ToArray();
        var list = new List<UserEvaluation>(users.Length);
        for (var slot = 0; slot < users.Length; slot++)
        {
            var row = new Metric[width];
            for (var c = 0; c < width; c++)
            {
                row[c] = new Metric(names[c], figures[(slot * width) + c]);
            }

            list.Add(new UserEvaluation(users[slot], relevant[users[slot]].Length, row));
        }

        return list;
    }

    private sealed class Buffers(int items, int k)
    {
        public float[] Scores { get; } = new float[items];

        public int[] Top { get; } = new int[Math.Max(k, 1)];

        public bool[] Hits { get; } = new bool[Math.Max(k, 1)];

        public float[] Sorted { get; } = new float[items];

        public float[] RelevantSorted { get; } = new float[items];
    }
}
