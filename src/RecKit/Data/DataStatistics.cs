namespace RecKit.Data;

/// <summary>Descriptive statistics of an interaction set: sizes, sparsity, activity, rating histogram, cold-start counts.</summary>
public sealed record DataStatistics
{
    public int Users { get; init; }

    public int Items { get; init; }

    public int Interactions { get; init; }

    /// <summary>Share of the users × items matrix that is empty.</summary>
    public double Sparsity { get; init; }

    public double MeanPerUser { get; init; }

    public double MedianPerUser { get; init; }

    public int MaxPerUser { get; init; }

    public double MeanPerItem { get; init; }

    public double MedianPerItem { get; init; }

    public int MaxPerItem { get; init; }

    /// <summary>Users with fewer than <see cref="ColdThreshold"/> interactions.</summary>
    public int ColdUsers { get; init; }

    /// <summary>Items with fewer than <see cref="ColdThreshold"/> interactions.</summary>
    public int ColdItems { get; init; }

    public int ColdThreshold { get; init; }

    /// <summary>Items with exactly one interaction.</summary>
    public int SingletonItems { get; init; }

    /// <summary>Share of interactions on the most popular 20% of items (long-tail concentration).</summary>
    public double ShareOfTop20PercentItems { get; init; }

    public bool HasRatings { get; init; }

    /// <summary>Rating value → count (empty for implicit data).</summary>
    public IReadOnlyList<KeyValuePair<float, int>> RatingHistogram { get; init; } = [];

    public double MeanRating { get; init; }

    public DateTimeOffset? FirstTimestamp { get; init; }

    public DateTimeOffset? LastTimestamp { get; init; }

    public static DataStatistics Compute(Interactions data, int coldThreshold = 5)
    {
        var perUser = data.CountPerUser().Where(c => c > 0).ToArray();
        var perItem = data.CountPerItem().Where(c => c > 0).ToArray();
        Array.Sort(perUser);
        Array.Sort(perItem);
        var histogram = new SortedDictionary<float, int>();
        double sum = 0;
        if (data.HasRatings)
        {
            foreach (var v in data.Values)
            {
                histogram[v] = histogram.GetValueOrDefault(v) + 1;
                sum += v;
            }
        }

        var topItems = (int)Math.Ceiling(perItem.Length * 0.2);
        long topCount = 0;
        for (var j = perItem.Length - topItems; j < perItem.Length; j++)
        {
            topCount += perItem[j];
        }

        DateTimeOffset? first = null, last = null;
        if (data.HasTimestamps && data.Count > 0)
        {
            long min = long.MaxValue, max = long.MinValue;
            foreach (var t in data.Timestamps)
            {
                min = Math.Min(min, t);
                max = Math.Max(max, t);
            }

            first = DateTimeOffset.FromUnixTimeSeconds(min);
            last = DateTimeOffset.FromUnixTimeSeconds(max);
        }

        return new DataStatistics
        {
            Users = perUser.Length,
            Items = perItem.Length,
            Interactions = data.Count,
            Sparsity = perUser.Length == 0 || perItem.Length == 0 ? 1 : 1 - ((double)data.Count / ((double)perUser.Length * perItem.Length)),
            MeanPerUser = perUser.Length == 0 ? 0 : perUser.Average(),
            MedianPerUser = Median(perUser),
            MaxPerUser = perUser.Length == 0 ? 0 : perUser[^1],
            MeanPerItem = perItem.Length == 0 ? 0 : perItem.Average(),
            MedianPerItem = Median(perItem),
            MaxPerItem = perItem.Length == 0 ? 0 : perItem[^1],
            ColdThreshold = coldThreshold,
            ColdUsers = perUser.Count(c => c < coldThreshold),
            ColdItems = perItem.Count(c => c < coldThreshold),
            SingletonItems = perItem.Count(c => c == 1),
            ShareOfTop20PercentItems = data.Count == 0 ? 0 : (double)topCount / data.Count,
            HasRatings = data.HasRatings,
            RatingHistogram = histogram.ToList(),
            MeanRating = data.HasRatings && data.Count > 0 ? sum / data.Count : double.NaN,
            FirstTimestamp = first,
            LastTimestamp = last,
        };
    }

    private static double Median(int[] sorted) =>
        sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2.0;
}
