using System.Runtime.CompilerServices;

namespace RecKit.Serving;

/// <summary>
/// What a served bundle's training data looks like, counted once per bundle and kept while the bundle lives: interactions
/// per item and per user, the items in order of popularity and the users in order of activity, and the figures of an
/// exploratory summary (sizes, density, quantiles of activity, how concentrated the interactions are, the long-tail curve).
/// The dashboard's overview and its paged user and item lists read it, so a page on a million-item catalogue does not
/// recount ten million interactions.
/// </summary>
public sealed class BundleProfile
{
    private static readonly ConditionalWeakTable<ServingBundle, BundleProfile> Profiles = [];

    private readonly Dictionary<double, IReadOnlySet<string>> _tails = [];
    private readonly RecKit.Data.IdMap _items;

    private BundleProfile(ServingBundle bundle)
    {
        _items = bundle.Items;
        var history = bundle.History;
        ItemCounts = new int[bundle.Items.Count];
        foreach (var item in history.ColumnIndices)
        {
            ItemCounts[item]++;
        }

        var rows = history.RowPointers;
        UserCounts = new int[bundle.Users.Count];
        for (var u = 0; u < UserCounts.Length && u + 1 < rows.Length; u++)
        {
            UserCounts[u] = rows[u + 1] - rows[u];
        }

        ItemsByPopularity = ByCountDescending(ItemCounts);
        UsersByActivity = ByCountDescending(UserCounts);
        Interactions = history.NonZeroCount;
        Summary = Summarise();
    }

    /// <summary>The profile of <paramref name="bundle"/>, counted on first use.</summary>
    public static BundleProfile Of(ServingBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return Profiles.GetValue(bundle, b => new BundleProfile(b));
    }

    /// <summary>Training interactions per item index.</summary>
    public int[] ItemCounts { get; }

    /// <summary>Training interactions per user index.</summary>
    public int[] UserCounts { get; }

    /// <summary>Item indices, most interacted-with first (ties by index).</summary>
    public int[] ItemsByPopularity { get; }

    /// <summary>User indices, most active first (ties by index).</summary>
    public int[] UsersByActivity { get; }

    public long Interactions { get; }

    public DataSummary Summary { get; }

    /// <summary>
    /// The ids of the long tail: every item outside the most popular ones that together hold <paramref name="headShare"/>
    /// of the interactions (computed once per share and kept).
    /// </summary>
    public IReadOnlySet<string> LongTail(double headShare)
    {
        lock (_tails)
        {
            if (_tails.TryGetValue(headShare, out var known))
            {
                return known;
            }
        }

        var tail = new HashSet<string>(StringComparer.Ordinal);
        long running = 0;
        foreach (var item in ItemsByPopularity)
        {
            if (running >= headShare * Interactions)
            {
                tail.Add(_items[item]);
            }

            running += ItemCounts[item];
        }

        lock (_tails)
        {
            _tails[headShare] = tail;
        }

        return tail;
    }

    private static int[] ByCountDescending(int[] counts)
    {
        var order = new int[counts.Length];
        var keys = new long[counts.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = ((long)-counts[i] << 32) | (uint)i; // one sort key: count descending, then index
        }

        Array.Sort(keys, order);
        return order;
    }

    private DataSummary Summarise()
    {
        var users = UserCounts.Length;
        var items = ItemCounts.Length;
        var total = Math.Max(1, Interactions);
        var sortedItems = ItemsByPopularity.Select(i => ItemCounts[i]).ToArray();
        var sortedUsers = UsersByActivity.Select(u => UserCounts[u]).ToArray();
        double ShareOfTop(double fraction)
        {
            var n = (int)Math.Ceiling(fraction * items);
            long sum = 0;
            for (var i = 0; i < n && i < sortedItems.Length; i++)
            {
                sum += sortedItems[i];
            }

            return (double)sum / total;
        }

        // The long-tail curve: the share of interactions held by the most popular x of the catalogue, at 41 points.
        var curve = new (double CatalogueShare, double InteractionShare)[41];
        long running = 0;
        var next = 0;
        for (var p = 0; p < curve.Length; p++)
        {
            var upTo = (int)Math.Round(p / 40.0 * items);
            for (; next < upTo; next++)
            {
                running += sortedItems[next];
            }

            curve[p] = (p / 40.0, (double)running / total);
        }

        return new DataSummary(
            users,
            items,
            Interactions,
            users == 0 || items == 0 ? 0 : (double)Interactions / ((double)users * items),
            Quantiles(sortedUsers),
            Quantiles(sortedItems),
            ItemCounts.Count(c => c == 0),
            ShareOfTop(0.01),
            ShareOfTop(0.1),
            curve);
    }

    /// <summary>Median, 90th percentile and largest of counts sorted descending.</summary>
    private static ActivityQuantiles Quantiles(int[] descending) =>
        descending.Length == 0
            ? new ActivityQuantiles(0, 0, 0, 0)
            : new ActivityQuantiles(descending[^1], descending[(descending.Length - 1) / 2], descending[(int)((descending.Length - 1) * 0.1)], descending[0]);
}

/// <summary>Smallest, median, 90th percentile and largest of a count per user or per item.</summary>
public sealed record ActivityQuantiles(int Min, int Median, int P90, int Max);

/// <summary>
/// The exploratory figures of a bundle's training data: sizes and density, activity per user and per item, items never
/// interacted with, the share of interactions held by the top 1% and 10% of items, and the long-tail curve (share of
/// the catalogue, most popular first → share of interactions).
/// </summary>
public sealed record DataSummary(
    int Users,
    int Items,
    long Interactions,
    double Density,
    ActivityQuantiles PerUser,
    ActivityQuantiles PerItem,
    int ItemsWithoutInteractions,
    double TopPercentShare,
    double TopTenPercentShare,
    IReadOnlyList<(double CatalogueShare, double InteractionShare)> LongTailCurve);
