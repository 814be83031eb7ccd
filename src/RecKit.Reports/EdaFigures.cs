using System.Globalization;
using System.Text;
using RecKit.Data;
using RecKit.Persistence;

using RecKit.IO;

namespace RecKit.Reports;

/// <summary>
/// Design note 4's exploratory data analysis: PNG figures of interactions per user and per item, the rating
/// distribution, the long tail and genre counts, and a short summary.md, in one folder.
/// </summary>
public static class EdaFigures
{
    /// <returns>The files written.</returns>
    /// <param name="counts">The raw counts (before any transform) of count data, for their distribution; null for ratings or binary data.</param>
    public static IReadOnlyList<string> Write(Interactions data, string folder, IReadOnlyList<(string Genre, int Count)>? genres = null, ReadOnlySpan<float> counts = default)
    {
        if (data.Count == 0)
        {
            throw new ArgumentException("There are no interactions to describe.");
        }

        Directory.CreateDirectory(folder);
        var files = new List<string>();
        string Path_(string name)
        {
            var path = Path.Combine(folder, name);
            files.Add(path);
            return path;
        }

        var perUser = data.CountPerUser().Where(c => c > 0).ToArray();
        var perItem = data.CountPerItem().Where(c => c > 0).ToArray();
        var (userLabels, userCounts) = LogBins(perUser);
        Charts.Bars(Path_("interactions_per_user.png"), $"Interactions per user ({perUser.Length:N0} users)", "users", userLabels, userCounts, rotateLabels: true);
        var (itemLabels, itemCounts) = LogBins(perItem);
        Charts.Bars(Path_("interactions_per_item.png"), $"Interactions per item ({perItem.Length:N0} items)", "items", itemLabels, itemCounts, rotateLabels: true);

        if (data.HasRatings)
        {
            var histogram = new SortedDictionary<float, int>();
            foreach (var v in data.Values)
            {
                histogram[v] = histogram.GetValueOrDefault(v) + 1;
            }

            if (histogram.Count <= 50)
            {
                Charts.Bars(Path_("rating_distribution.png"), "Rating distribution", "interactions", histogram.Keys.Select(k => k.ToString("0.0#", CultureInfo.InvariantCulture)).ToList(), histogram.Values.Select(v => (double)v).ToList());
            }
        }

        // Long tail: cumulative share of interactions against the share of items, most popular first.
        var sorted = perItem.OrderDescending().ToArray();
        var points = Math.Min(200, sorted.Length);
        var xs = new double[points + 1];
        var ys = new double[points + 1];
        double total = sorted.Sum(c => (double)c), running = 0;
        var at = 0;
        for (var p = 1; p <= points; p++)
        {
            var until = (int)Math.Round((double)sorted.Length * p / points);
            while (at < until)
            {
                running += sorted[at++];
            }

            xs[p] = 100.0 * until / sorted.Length;
            ys[p] = 100.0 * running / total;
        }

        Charts.Line(Path_("long_tail.png"), "Long tail: share of interactions on the most popular items", "% of items (most popular first)", "% of interactions", xs, ys);

        if (genres is { Count: > 0 })
        {
            var ordered = genres.OrderByDescending(g => g.Count).ToList();
            Charts.Bars(Path_("genre_counts.png"), "Items per genre", "items", ordered.Select(g => g.Genre).ToList(), ordered.Select(g => (double)g.Count).ToList(), rotateLabels: true);
        }

        if (!counts.IsEmpty)
        {
            // Play counts and the like: how often an interaction repeats, in powers-of-two bins.
            var rounded = new int[counts.Length];
            for (var p = 0; p < counts.Length; p++)
            {
                rounded[p] = Math.Max(1, (int)Math.Round(counts[p]));
            }

            var (labels, binned) = LogBins(rounded);
            Charts.Bars(Path_("value_distribution.png"), "Value per interaction (counts)", "interactions", labels, binned, rotateLabels: true);
        }

        var stats = DataStatistics.Compute(data);
        var top20 = sorted.Take((int)Math.Ceiling(sorted.Length * 0.2)).Sum(c => (double)c) / total;
        var summary = new StringBuilder()
            .AppendLine("# Data summary")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- {stats.Users:N0} users, {stats.Items:N0} items, {stats.Interactions:N0} interactions; sparsity {stats.Sparsity:P2}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Interactions per user: mean {stats.MeanPerUser:F1}, median {stats.MedianPerUser:F0}, max {stats.MaxPerUser:N0}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Interactions per item: mean {stats.MeanPerItem:F1}, median {stats.MedianPerItem:F0}, max {stats.MaxPerItem:N0}; {stats.SingletonItems:N0} items have a single interaction.")
            .AppendLine(CultureInfo.InvariantCulture, $"- The most popular 20% of items hold {top20:P1} of all interactions.")
            .AppendLine(stats.HasRatings ? string.Create(CultureInfo.InvariantCulture, $"- Mean rating {stats.MeanRating:F2}; the most common rating is {stats.RatingHistogram.MaxBy(p => p.Value).Key:0.0#}.") : "- Implicit data (no ratings).")
            .AppendLine()
            .AppendLine("Figures: " + string.Join(", ", files.Select(f => $"`{Path.GetFileName(f)}`")) + ".");
        var summaryPath = Path.Combine(folder, "summary.md");
        AtomicFile.WriteAllText(summaryPath, summary.ToString());
        files.Add(summaryPath);
        return files;
    }

    /// <summary>
    /// Distributions of a feature matrix, one chart per declared column: the 20 most frequent values of a categorical or
    /// multi-valued column ("genre=rock" → rock), a histogram of a numeric one (standardised values).
    /// </summary>
    public static IReadOnlyList<string> WriteFeatures(FeatureMatrix features, string owner, string folder)
    {
        ArgumentNullException.ThrowIfNull(features);
        var files = new List<string>();
        var counts = features.ColumnCounts();
        foreach (var group in counts.Where(c => c.Column.Contains('=', StringComparison.Ordinal)).GroupBy(c => c.Column[..c.Column.IndexOf('=', StringComparison.Ordinal)]))
        {
            var top = group.OrderByDescending(c => c.Count).Take(20).ToList();
            var path = Path.Combine(folder, $"{owner}_{Safe(group.Key)}_top.png");
            Charts.Bars(path, $"{owner}s per {group.Key} (top {top.Count} of {group.Count()})", $"{owner}s", top.Select(c => c.Column[(group.Key.Length + 1)..]).ToList(), top.Select(c => (double)c.Count).ToList(), rotateLabels: true);
            files.Add(path);
        }

        var columns = features.Columns;
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Contains('=', StringComparison.Ordinal) || columns[c].Contains(':', StringComparison.Ordinal))
            {
                continue;
            }

            var values = new List<double>();
            for (var r = 0; r < features.RowCount; r++)
            {
                values.Add(features.Values.Get(r, c));
            }

            if (values.All(v => v is 0 or 1))
            {
                continue; // a flag (a genre of a MovieLens catalogue), counted by its own chart
            }

            var (labels, binned) = Histogram(values, 12);
            var path = Path.Combine(folder, $"{owner}_{Safe(columns[c])}_histogram.png");
            Charts.Bars(path, $"{owner} {columns[c]} (standardised)", $"{owner}s", labels, binned, rotateLabels: true);
            files.Add(path);
        }

        return files;
    }

    private static string Safe(string name) => new(name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_').ToArray());

    private static (List<string> Labels, List<double> Counts) Histogram(List<double> values, int bins)
    {
        var (low, high) = (values.Min(), values.Max());
        var width = high > low ? (high - low) / bins : 1;
        var counts = new double[bins];
        foreach (var v in values)
        {
            counts[Math.Min(bins - 1, (int)((v - low) / width))]++;
        }

        return (Enumerable.Range(0, bins).Select(b => (low + (b * width)).ToString("0.0", CultureInfo.InvariantCulture)).ToList(), counts.ToList());
    }

    /// <summary>Counts in bins 1, 2–3, 4–7, 8–15, ... (powers of two), so heavy tails stay readable.</summary>
    internal static (List<string> Labels, List<double> Counts) LogBins(int[] values)
    {
        var labels = new List<string>();
        var counts = new List<double>();
        for (var low = 1; low <= values.Max(); low *= 2)
        {
            var high = (low * 2) - 1;
            labels.Add(low == high ? low.ToString(CultureInfo.InvariantCulture) : $"{low}-{high}");
            counts.Add(values.Count(v => v >= low && v <= high));
        }

        return (labels, counts);
    }
}
