namespace RecKit.Evaluation;

/// <summary>One model's mean per-user metric minus another's, with a bootstrap interval: how sure the difference is.</summary>
/// <param name="Mean">The mean over users of the per-user difference (equal to the difference of the two means).</param>
/// <param name="Low">The interval's lower end.</param>
/// <param name="High">The interval's upper end.</param>
/// <param name="Users">Users compared (those with at least one relevant item in both evaluations).</param>
/// <param name="Level">The interval's coverage (0.95).</param>
public sealed record MetricDifference(double Mean, double Low, double High, int Users, double Level)
{
    /// <summary>Whether the interval leaves out 0: the difference is more than the users drawn would give by chance.</summary>
    public bool Settled => Low > 0 || High < 0;

    /// <summary>"NDCG@10 +0.0042 (95% interval -0.0031 to +0.0113, paired bootstrap over 1,234 users)", for reports.</summary>
    public string Describe(string metric) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{metric} {SignedFigure.Of(Mean)} ({Level * 100:0}% interval {SignedFigure.Of(Low)} to {SignedFigure.Of(High)}, paired bootstrap over {Users:N0} users)");
}

/// <summary>
/// A paired bootstrap over users (Efron and Tibshirani, ch. 13; the standard test for comparing rankers on one test
/// set): the two models were judged on the same users, so each user's difference is one observation; users are drawn
/// with replacement, the mean difference taken, and the percentile interval of those means reported. Seeded.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>How many resamples by default: enough for steady 95% percentiles.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>
    /// <paramref name="a"/>'s <paramref name="metric"/> minus <paramref name="b"/>'s, per user, over the users both
    /// evaluated with a relevant item. Both must have been evaluated with <see cref="EvaluationOptions.KeepPerUser"/>.
    /// </summary>
    public static MetricDifference Compare(EvaluationResult a, EvaluationResult b, string metric, int resamples = DefaultResamples, double level = 0.95, int seed = 0)
    {
        var first = PerUser(a, metric, nameof(a));
        var second = PerUser(b, metric, nameof(b));
        var differences = new List<double>(first.Count);
        foreach (var (user, value) in first)
        {
            if (second.TryGetValue(user, out var other))
            {
                differences.Add(value - other);
            }
        }

        return Of(differences.ToArray(), resamples, level, seed);
    }

    /// <summary>The mean of <paramref name="differences"/> and its percentile bootstrap interval.</summary>
    public static MetricDifference Of(ReadOnlySpan<double> differences, int resamples = DefaultResamples, double level = 0.95, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(level is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "the interval's coverage must lie between 0 and 1");
        }

        var n = differences.Length;
        if (n == 0)
        {
            return new MetricDifference(double.NaN, double.NaN, double.NaN, 0, level);
        }

        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (var j = 0; j < n; j++)
            {
                sum += differences[random.Next(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        var tail = (1 - level) / 2;
        return new MetricDifference(Mean(differences), Percentile(means, tail), Percentile(means, 1 - tail), n, level);
    }

    private static Dictionary<int, double> PerUser(EvaluationResult result, string metric, string name)
    {
        var users = result.PerUser ?? throw new ArgumentException("evaluate with KeepPerUser to compare per user", name);
        var values = new Dictionary<int, double>(users.Count);
        foreach (var user in users)
        {
            if (user.Relevant == 0)
            {
                continue;
            }

            foreach (var m in user.Metrics)
            {
                if (m.Name == metric && double.IsFinite(m.Value))
                {
                    values[user.User] = m.Value;
                }
            }
        }

        return values;
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    /// <summary>The q-quantile of sorted values, by linear interpolation between the nearest ranks.</summary>
    private static double Percentile(double[] sorted, double q)
    {
        var at = q * (sorted.Length - 1);
        var below = (int)Math.Floor(at);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((at - below) * (sorted[above] - sorted[below]));
    }
}
