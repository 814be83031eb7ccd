namespace RecKit.Data.Splits;

/// <summary>
/// Seeded, deterministic train/test splits. Every split keeps the id maps of its input, so indices agree
/// across parts; the same input and seed always give the same parts.
/// </summary>
public static class Splitter
{
    /// <summary>Each interaction goes to test with probability <paramref name="testFraction"/> (exactly round(n·f) of them).</summary>
    public static Split Random(Interactions data, double testFraction, int seed)
    {
        RequireFraction(testFraction);
        var order = Enumerable.Range(0, data.Count).ToArray();
        new System.Random(seed).Shuffle(order);
        var testCount = (int)Math.Round(data.Count * testFraction);
        var test = order[..testCount];
        var train = order[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return new Split(data.Subset(train), data.Subset(test));
    }

    /// <summary>Within each user, round(n_u·f) of the user's interactions go to test.</summary>
    public static Split PerUser(Interactions data, double testFraction, int seed) =>
        WithinGroups(data, data.Users, data.UserCount, testFraction, seed);

    /// <summary>
    /// Within each item, round(n_i·f) of the item's interactions go to test (the Microsoft Recommenders
    /// benchmark protocol uses f = 0.25).
    /// </summary>
    public static Split PerItem(Interactions data, double testFraction, int seed) =>
        WithinGroups(data, data.Items, data.ItemCount, testFraction, seed);

    /// <summary><see cref="PerItem"/> when <paramref name="perItem"/>, else <see cref="PerUser"/>: how the three-way split carves each part.</summary>
    public static Split PerUserOrItem(Interactions data, double testFraction, int seed, bool perItem) =>
        perItem ? PerItem(data, testFraction, seed) : PerUser(data, testFraction, seed);

    /// <summary>K folds of a seeded shuffle: fold f tests on the f-th fifth (for K = 5) and trains on the rest.</summary>
    public static IReadOnlyList<Split> KFold(Interactions data, int folds, int seed)
    {
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), "Cross-validation needs at least 2 folds.");
        }

        var order = Enumerable.Range(0, data.Count).ToArray();
        new System.Random(seed).Shuffle(order);
        var splits = new List<Split>(folds);
        for (var f = 0; f < folds; f++)
        {
            var start = (int)((long)data.Count * f / folds);
            var end = (int)((long)data.Count * (f + 1) / folds);
            var test = order[start..end];
            var train = order[..start].Concat(order[end..]).ToArray();
            Array.Sort(test);
            Array.Sort(train);
            splits.Add(new Split(data.Subset(train), data.Subset(test)));
        }

        return splits;
    }

    /// <summary>
    /// Global time cut: interactions at or after the time below which <c>1 − testFraction</c> of all interactions
    /// fall go to test (ties at the cut all go to test, so nothing in train is later than anything in test).
    /// </summary>
    public static Split TemporalGlobal(Interactions data, double testFraction)
    {
        RequireFraction(testFraction);
        RequireTimestamps(data);
        var times = data.Timestamps.ToArray();
        Array.Sort(times);
        var cut = times[Math.Clamp((int)Math.Round(times.Length * (1 - testFraction)), 0, times.Length - 1)];
        return TemporalAt(data, cut);
    }

    /// <summary>Interactions with timestamp ≥ <paramref name="cut"/> (Unix seconds) go to test.</summary>
    public static Split TemporalAt(Interactions data, long cut)
    {
        RequireTimestamps(data);
        var isTest = new bool[data.Count];
        var times = data.Timestamps;
        for (var k = 0; k < isTest.Length; k++)
        {
            isTest[k] = times[k] >= cut;
        }

        return Partition(data, isTest);
    }

    /// <summary>
    /// Each user's last <paramref name="n"/> interactions by time go to test (ties broken by input order: later
    /// rows count as later). Users with n or fewer interactions keep one in train, so none becomes cold by the split.
    /// </summary>
    public static Split LastPerUser(Interactions data, int n)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "n must be ≥ 1.");
        }

        RequireTimestamps(data);
        var times = data.Timestamps.ToArray();
        var isTest = new bool[data.Count];
        foreach (var list in Groups(data.Users, data.UserCount, data.Count))
        {
            if (list is null)
            {
                continue;
            }

            var ordered = list.OrderBy(k => times[k]).ThenBy(k => k).ToArray();
            var take = Math.Min(n, ordered.Length - 1);
            foreach (var k in ordered.AsSpan(ordered.Length - take))
            {
                isTest[k] = true;
            }
        }

        return Partition(data, isTest);
    }

    /// <summary>
    /// One interaction per user goes to test: the latest when the data has timestamps (ties: the later row), else one
    /// drawn with the seed. Users with a single interaction keep it in train and have no test item.
    /// </summary>
    public static Split LeaveOneOut(Interactions data, int seed)
    {
        if (data.HasTimestamps)
        {
            return LastPerUser(data, 1);
        }

        var random = new System.Random(seed);
        var isTest = new bool[data.Count];
        foreach (var list in Groups(data.Users, data.UserCount, data.Count))
        {
            if (list is { Count: > 1 })
            {
                isTest[list[random.Next(list.Count)]] = true;
            }
        }

        return Partition(data, isTest);
    }

    /// <summary>
    /// Design note 3's three-way split: per-user train_full / test (1 − testFraction / testFraction), then per-user
    /// base_train / meta_train of train_full (1 − metaFraction / metaFraction). Defaults 80/20 and 80/20.
    /// </summary>
    public static ThreeWaySplit ThreeWay(Interactions data, int seed, double testFraction = 0.2, double metaFraction = 0.2) =>
        ThreeWay(data, seed, testFraction, metaFraction, perItem: false);

    /// <summary>The three-way split drawn within each item's interactions (<paramref name="perItem"/>) or each user's.</summary>
    public static ThreeWaySplit ThreeWay(Interactions data, int seed, double testFraction, double metaFraction, bool perItem)
    {
        var outer = PerUserOrItem(data, testFraction, seed, perItem);
        var inner = PerUserOrItem(outer.Train, metaFraction, seed + 1, perItem);
        return new ThreeWaySplit(outer.Train, outer.Test, inner.Train, inner.Test);
    }

    private static List<int>?[] Groups(ReadOnlySpan<int> group, int groups, int count)
    {
        var members = new List<int>?[groups];
        for (var k = 0; k < count; k++)
        {
            (members[group[k]] ??= []).Add(k);
        }

        return members;
    }

    private static void RequireTimestamps(Interactions data)
    {
        if (!data.HasTimestamps)
        {
            throw new ArgumentException("This split needs timestamps, and the data has none (give a timestamp column).");
        }
    }

    private static Split WithinGroups(Interactions data, ReadOnlySpan<int> group, int groups, double testFraction, int seed)
    {
        RequireFraction(testFraction);
        var members = Groups(group, groups, data.Count);
        var random = new System.Random(seed);
        var isTest = new bool[data.Count];
        foreach (var list in members)
        {
            if (list is null)
            {
                continue;
            }

            var array = list.ToArray();
            random.Shuffle(array);
            var testCount = (int)Math.Round(array.Length * testFraction, MidpointRounding.AwayFromZero);
            foreach (var k in array.AsSpan(0, testCount))
            {
                isTest[k] = true;
            }
        }

        return Partition(data, isTest);
    }

    /// <summary>
    /// Holds out a seeded share of the users (or items) that have interactions, with every interaction they have: the
    /// test part is what a service would see of new users (or new items) no model has trained on.
    /// </summary>
    /// <returns>The split and the held-out indices.</returns>
    public static (Split Split, HashSet<int> HeldOut) HoldOut(Interactions data, bool items, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var counts = items ? data.CountPerItem() : data.CountPerUser();
        var candidates = Enumerable.Range(0, counts.Length).Where(i => counts[i] > 0).ToArray();
        new Random(seed).Shuffle(candidates);
        var held = candidates.Take((int)Math.Round(candidates.Length * fraction)).ToHashSet();
        var owners = items ? data.Items : data.Users;
        var isTest = new bool[data.Count];
        for (var p = 0; p < data.Count; p++)
        {
            isTest[p] = held.Contains(owners[p]);
        }

        return (Partition(data, isTest), held);
    }

    /// <summary>Interactions whose flag is set go to test (for splits defined by the caller, e.g. held-out items).</summary>
    public static Split Partition(Interactions data, bool[] isTest)
    {
        var test = new List<int>();
        var train = new List<int>();
        for (var k = 0; k < isTest.Length; k++)
        {
            (isTest[k] ? test : train).Add(k);
        }

        return new Split(data.Subset(train.ToArray()), data.Subset(test.ToArray()));
    }

    private static void RequireFraction(double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The test fraction must be between 0 and 1 (exclusive).");
        }
    }
}
