using System.Globalization;
using RecKit.IO;

namespace RecKit.Data;

/// <summary>
/// Generated interaction data of any size, shaped like MovieLens-20M by default: 138,000 users × 27,000 items,
/// 20 million (user, item) draws with item popularity ∝ 1/rank^0.9 and user activity ∝ 1/rank^0.6, duplicates merged
/// (≈ 15.9 million pairs), seeded: the same arguments give the same data on every machine (`reckit data synth`).
/// </summary>
/// <remarks>
/// Built without a 20-million-row buffer, so that the benchmark's peak memory is the models' and not the generator's:
/// the seeded draws are replayed twice — once to count each user's draws, once to drop each item into its user's
/// slot — then every user's items are sorted and deduplicated in place. The result is in (user, item) order, so its
/// user-major matrix shares the arrays instead of copying them.
/// <para>
/// By default the item of a draw does not depend on its user: popularity is the only signal, and the best ranking is the
/// popularity order. With <c>tastes</c> &gt; 0, users and items fall into that many taste groups (item i in group
/// i mod tastes, so every group has popular and rare items; users spread by a seeded hash), and a share
/// <c>affinity</c> of each user's draws comes from their own group, with the same power law inside it: a collaborative
/// signal that a model can learn and that popularity cannot see.
/// </para>
/// </remarks>
public static class PowerLawInteractions
{
    public static Interactions Generate(int users = 138_000, int items = 27_000, int draws = 20_000_000, int seed = 1, int tastes = 0, double affinity = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(tastes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tastes, items);
        if (!(affinity is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(affinity), affinity, "The share of draws from the user's own taste group must lie in [0, 1].");
        }

        var userCdf = Cdf(users, 0.6);
        var itemCdf = Cdf(items, 0.9);
        var taste = new TasteGroups(tastes, affinity, items);

        var start = new int[users + 1];
        var random = new FastRandom((ulong)seed);
        for (var d = 0; d < draws; d++)
        {
            start[Draw(userCdf, random.NextFloat()) + 1]++;
            taste.Skip(ref random); // the item's draw, taken in the second replay
        }

        for (var u = 0; u < users; u++)
        {
            start[u + 1] += start[u];
        }

        var slots = new int[draws];
        var fill = start.AsSpan(0, users).ToArray();
        random = new FastRandom((ulong)seed);
        for (var d = 0; d < draws; d++)
        {
            var user = Draw(userCdf, random.NextFloat());
            slots[fill[user]++] = taste.DrawItem(user, itemCdf, ref random);
        }

        var distinct = new int[users + 1];
        Parallel.For(0, users, u =>
        {
            var own = slots.AsSpan(start[u], start[u + 1] - start[u]);
            own.Sort();
            var kept = 0;
            for (var j = 0; j < own.Length; j++)
            {
                if (kept == 0 || own[j] != own[kept - 1])
                {
                    own[kept++] = own[j];
                }
            }

            distinct[u + 1] = kept;
        });
        for (var u = 0; u < users; u++)
        {
            distinct[u + 1] += distinct[u];
        }

        var count = distinct[users];
        var userIndex = new int[count];
        var itemIndex = new int[count];
        for (var u = 0; u < users; u++)
        {
            userIndex.AsSpan(distinct[u], distinct[u + 1] - distinct[u]).Fill(u);
            slots.AsSpan(start[u], distinct[u + 1] - distinct[u]).CopyTo(itemIndex.AsSpan(distinct[u]));
        }

        var ones = new float[count];
        Array.Fill(ones, 1f);
        return new Interactions(
            IdMap.FromIds(Enumerable.Range(0, users).Select(u => u.ToString(CultureInfo.InvariantCulture))),
            IdMap.FromIds(Enumerable.Range(0, items).Select(i => i.ToString(CultureInfo.InvariantCulture))),
            userIndex,
            itemIndex,
            ones,
            timestamps: null,
            meaning: ValueMeaning.None);
    }

    /// <summary>Which item a draw gives: from the whole catalogue, or (with probability affinity) from the user's taste group.</summary>
    private readonly struct TasteGroups
    {
        private readonly int _groups;
        private readonly float _affinity;
        private readonly double[][] _cdfs; // per group, the power law over its own items (rank r is item r × groups + group)

        public TasteGroups(int groups, double affinity, int items)
        {
            _groups = groups;
            _affinity = (float)affinity;
            _cdfs = new double[groups][];
            for (var g = 0; g < groups; g++)
            {
                _cdfs[g] = Cdf(((items - 1 - g) / groups) + 1, 0.9);
            }
        }

        public int DrawItem(int user, double[] itemCdf, ref FastRandom random)
        {
            var u = random.NextFloat();
            if (_groups == 0)
            {
                return Draw(itemCdf, u); // one number per draw without groups: the data of every earlier release
            }

            if (random.NextFloat() >= _affinity)
            {
                return Draw(itemCdf, u);
            }

            var group = GroupOf(user);
            return (Draw(_cdfs[group], u) * _groups) + group;
        }

        public void Skip(ref FastRandom random)
        {
            random.NextFloat();
            if (_groups > 0)
            {
                random.NextFloat();
            }
        }

        // A fixed multiplicative hash, so that a user's group does not follow their activity rank.
        private int GroupOf(int user) => (int)(((uint)user * 2654435761u) % (uint)_groups);
    }

    private static double[] Cdf(int n, double exponent)
    {
        var cdf = new double[n];
        double total = 0;
        for (var r = 0; r < n; r++)
        {
            total += 1.0 / Math.Pow(r + 1, exponent);
            cdf[r] = total;
        }

        for (var r = 0; r < n; r++)
        {
            cdf[r] /= total;
        }

        return cdf;
    }

    private static int Draw(double[] cdf, float u)
    {
        var at = Array.BinarySearch(cdf, u);
        return Math.Min(cdf.Length - 1, at >= 0 ? at : ~at);
    }

    /// <summary>Writes the pairs as a CSV file with the header user_id,item_id, atomically (a failed write leaves no half file).</summary>
    public static void WriteCsv(Interactions data, string path)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write("user_id,item_id\n");
            for (var k = 0; k < data.Count; k++)
            {
                writer.Write(data.UserMap[data.Users[k]]);
                writer.Write(',');
                writer.Write(data.ItemMap[data.Items[k]]);
                writer.Write('\n');
            }
        });
    }
}
