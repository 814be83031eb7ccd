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

    private static Split WithinGroups(Interactions data, ReadOnlySpan<int> group, int groups, double testFraction, int seed)
    {
        RequireFraction(testFraction);
        var members = new List<int>[groups];
        for (var k = 0; k < data.Count; k++)
        {
            (members[group[k]] ??= []).Add(k);
        }

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

    internal static Split Partition(Interactions data, bool[] isTest)
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
