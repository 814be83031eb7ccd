using RecKit.Data;

namespace RecKit.Ranking;

/// <summary>
/// The candidates of many users and their meta-feature rows, built once (in parallel over users) and shared: the meta
/// models' training set is labelled from them, every meta model under evaluation scores the same rows, and candidate
/// recall is read from them instead of generating the candidates again. Users in the given order; each user's
/// candidates ascending; rows users × candidates × features, row-major.
/// </summary>
public sealed class CandidateRows
{
    private CandidateRows(int[] users, int[] offsets, int[] items, float[] rows, int width, IReadOnlyList<string> featureNames)
    {
        Users = users;
        Offsets = offsets;
        Items = items;
        Rows = rows;
        Width = width;
        FeatureNames = featureNames;
    }

    public int[] Users { get; }

    /// <summary>User j's candidates are Items[Offsets[j]..Offsets[j + 1]] (and their rows the same range × Width).</summary>
    public int[] Offsets { get; }

    public int[] Items { get; }

    public float[] Rows { get; }

    public int Width { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public int Count => Items.Length;

    public ReadOnlySpan<int> ItemsOf(int j) => Items.AsSpan(Offsets[j], Offsets[j + 1] - Offsets[j]);

    /// <summary>Builds the candidates (from each user's <paramref name="history"/>) and their feature rows for <paramref name="users"/>.</summary>
    public static CandidateRows Build(MetaFeatures features, CandidateGenerator candidates, CsrMatrix history, IReadOnlyList<int> users, int? threads = null, IProgress<Models.TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(users);
        var width = features.Count;
        var perUser = new (int[] Items, float[] Rows)[users.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount, CancellationToken = cancellation };
        var done = 0;
        Parallel.For(
            0,
            users.Count,
            options,
            () => new float[history.ColumnCount],
            (j, _, buffer) =>
            {
                var items = candidates.For(users[j], history, buffer, out var proposedBy);
                var block = new float[items.Length * width];
                features.Build(users[j], items, block, proposedBy);
                perUser[j] = (items, block);
                if (progress is not null && Interlocked.Increment(ref done) is var finished && (finished % 256 == 0 || finished == users.Count))
                {
                    progress.Report(new Models.TrainingProgress("users' candidates", finished, users.Count, null));
                }

                return buffer;
            },
            _ => { });

        var offsets = new int[users.Count + 1];
        for (var j = 0; j < users.Count; j++)
        {
            offsets[j + 1] = offsets[j] + perUser[j].Items.Length;
        }

        var allItems = new int[offsets[^1]];
        var allRows = new float[(long)offsets[^1] * width];
        for (var j = 0; j < users.Count; j++)
        {
            perUser[j].Items.CopyTo(allItems, offsets[j]);
            perUser[j].Rows.CopyTo(allRows, (long)offsets[j] * width);
        }

        return new CandidateRows([.. users], offsets, allItems, allRows, width, features.Names);
    }

    /// <summary>Share of the users' relevant held-out items (value ≥ threshold, or all when null) among their candidates, pooled over every (user, item) pair.</summary>
    public double Recall(Interactions heldOut, float? threshold) => Measure(heldOut, threshold).Pooled;

    /// <summary>
    /// The same share per user, averaged over the users with a relevant held-out item: the ceiling of the mean Recall@k the
    /// evaluator reports. Pooled recall weighs each user by their held-out items, so a few heavy users dominate it.
    /// </summary>
    public double RecallPerUser(Interactions heldOut, float? threshold) => Measure(heldOut, threshold).PerUser;

    private (double Pooled, double PerUser) Measure(Interactions heldOut, float? threshold)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        var byUser = heldOut.ByUser;
        long relevant = 0, found = 0;
        double userShares = 0;
        var users = 0;
        for (var j = 0; j < Users.Length; j++)
        {
            var items = byUser.RowColumns(Users[j]);
            var values = byUser.RowValues(Users[j]);
            var candidates = ItemsOf(j);
            int userRelevant = 0, userFound = 0;
            for (var k = 0; k < items.Length; k++)
            {
                if (threshold is { } t && values[k] < t)
                {
                    continue;
                }

                userRelevant++;
                userFound += candidates.BinarySearch(items[k]) >= 0 ? 1 : 0;
            }

            relevant += userRelevant;
            found += userFound;
            if (userRelevant > 0)
            {
                userShares += (double)userFound / userRelevant;
                users++;
            }
        }

        return relevant == 0 ? (double.NaN, double.NaN) : ((double)found / relevant, userShares / users);
    }
}
