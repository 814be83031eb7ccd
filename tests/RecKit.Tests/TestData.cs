using RecKit.Data;

namespace RecKit.Tests;

/// <summary>Where the real data sets are, and tiny hand-made ones.</summary>
internal static class TestData
{
    /// <summary>The repository root (the folder holding RecKit.slnx).</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static string LatestSmall => Path.Combine(RepoRoot, "data", "ml-latest-small");

    /// <summary>ml-100k is not redistributable: it is read from ../shared beside the checkout.</summary>
    public static string Ml100k => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "ml-100k"));

    public static bool HasMl100k => File.Exists(Path.Combine(Ml100k, "u.data"));

    public const string Ml100kMissing = "ml-100k is not in ../shared/data/ml-100k (its licence forbids shipping it in the repo)";

    /// <summary>Interactions from (user, item, value) triples with ids "u{n}" / "i{n}" and maps of the given sizes.</summary>
    public static Interactions Build(int users, int items, params (int User, int Item, float Value)[] rows)
    {
        var userMap = IdMap.FromIds(Enumerable.Range(0, users).Select(u => $"u{u}"));
        var itemMap = IdMap.FromIds(Enumerable.Range(0, items).Select(i => $"i{i}"));
        return new Interactions(userMap, itemMap, rows.Select(r => r.User).ToArray(), rows.Select(r => r.Item).ToArray(), rows.Select(r => r.Value).ToArray(), null, meaning: ValueMeaning.Ratings);
    }

    /// <summary>
    /// Small synthetic data with structure: two taste groups over 60 items, 40 users, values 1..5;
    /// user 39 and items 58 and 59 have no interactions (cold start).
    /// </summary>
    public static Interactions Synthetic()
    {
        var random = new Random(7);
        var rows = new List<(int, int, float)>();
        for (var u = 0; u < 39; u++)
        {
            var group = u % 2;
            for (var i = 0; i < 58; i++)
            {
                var inGroup = i % 2 == group;
                if (random.NextDouble() < (inGroup ? 0.45 : 0.08))
                {
                    rows.Add((u, i, inGroup ? 4 + random.Next(0, 2) : 1 + random.Next(0, 3)));
                }
            }
        }

        return Build(40, 60, [.. rows]);
    }

    /// <summary>
    /// The same interactions with a timestamp each, scrambled within every user's history by a fixed rule (so time order
    /// is neither the data's order nor the items' order).
    /// </summary>
    public static Interactions WithTimestamps(Interactions data)
    {
        var users = data.Users;
        var items = data.Items;
        var timestamps = new long[data.Count];
        for (var p = 0; p < timestamps.Length; p++)
        {
            timestamps[p] = 1_000_000 + (((users[p] * 7919L) + (items[p] * 104_729L)) % 9973);
        }

        return new Interactions(data.UserMap, data.ItemMap, users.ToArray(), items.ToArray(), data.Values.ToArray(), timestamps, data.Meaning);
    }

    /// <summary>A second set over the same maps as <paramref name="like"/>.</summary>
    public static Interactions Like(Interactions like, params (int User, int Item, float Value)[] rows) =>
        new(like.UserMap, like.ItemMap, rows.Select(r => r.User).ToArray(), rows.Select(r => r.Item).ToArray(), rows.Select(r => r.Value).ToArray(), null, meaning: ValueMeaning.Ratings);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RecKit.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (RecKit.slnx) above the test binaries.");
    }
}
