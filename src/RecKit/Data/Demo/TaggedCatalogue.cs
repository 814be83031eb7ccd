using System.Globalization;
using System.Text;

namespace RecKit.Data.Demo;

/// <summary>
/// A generated catalogue whose structure differs from the shipped ones, for testing choices that must adapt: items carry
/// 2–5 of 60 tags (a multi-valued feature) and a hidden cluster (one of 20, in no feature); each user likes a few tags
/// and a few clusters. A play is drawn with probability ∝ popularity × exp(3 × (s × tag affinity + (1 − s) × cluster
/// affinity)), s the <c>tagSignal</c>: at 1 the tags carry all the taste (content is all a new item needs), at 0 none
/// (the features are noise beside the interactions). A tenth of the items are never played (cold items). Seeded.
/// </summary>
public static class TaggedCatalogue
{
    private const int Tags = 60;
    private const int Clusters = 20;

    /// <summary>items.csv (item_id, tags as a|b|c) and plays.csv (user_id, item_id, plays) as CSV text.</summary>
    public static (string Items, string Plays) Generate(int seed, int userCount, int itemCount, double tagSignal)
    {
        var (items, plays, _, _) = Draw(seed, userCount, itemCount, tagSignal);
        return (items, plays);
    }

    /// <summary>
    /// The weight each play was drawn with, by user and item index (u00012 is user 12, t00345 item 345): popularity ×
    /// exp(3 × affinity), 0 for the items never played. Ranking a user's unplayed items by it is the best any model can
    /// do on the catalogue (the ceiling that <c>bench oracle</c> measures).
    /// </summary>
    public static Func<int, int, double> TrueWeights(int seed, int userCount, int itemCount, double tagSignal) => Draw(seed, userCount, itemCount, tagSignal).Weight;

    /// <summary>Each item's popularity, the factor of <see cref="TrueWeights"/> that is the same for every user (by item index).</summary>
    public static Func<int, double> TruePopularity(int seed, int userCount, int itemCount, double tagSignal) => Draw(seed, userCount, itemCount, tagSignal).Popularity;

    private static (string Items, string Plays, Func<int, int, double> Weight, Func<int, double> Popularity) Draw(int seed, int userCount, int itemCount, double tagSignal)
    {
        if (!(tagSignal >= 0 && tagSignal <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(tagSignal), tagSignal, "the tags' share of the taste must lie in [0, 1]");
        }

        var random = new Random(seed);
        var inv = CultureInfo.InvariantCulture;
        var itemTags = new int[itemCount][];
        var cluster = new int[itemCount];
        var popularity = new double[itemCount];
        var items = new StringBuilder("item_id,tags\n");
        for (var i = 0; i < itemCount; i++)
        {
            itemTags[i] = [.. Enumerable.Range(0, 2 + random.Next(4)).Select(_ => random.Next(Tags)).Distinct()];
            cluster[i] = random.Next(Clusters);
            popularity[i] = Math.Exp(DemoDraws.Gaussian(random));
            items.Append(string.Create(inv, $"t{i:D5},{string.Join('|', itemTags[i].Select(t => $"tag{t:D2}"))}\n"));
        }

        var playable = Enumerable.Range(0, itemCount).Where(_ => random.NextDouble() >= 0.1).ToArray();
        var plays = new StringBuilder("user_id,item_id,plays\n");
        var weights = new double[playable.Length];
        var userTags = new double[userCount][];
        var userClusters = new double[userCount][];
        for (var u = 0; u < userCount; u++)
        {
            var likesTag = userTags[u] = new double[Tags];
            var likesCluster = userClusters[u] = new double[Clusters];
            for (var t = 0; t < 4; t++)
            {
                likesTag[random.Next(Tags)] += 1;
            }

            for (var c = 0; c < 2; c++)
            {
                likesCluster[random.Next(Clusters)] += 1;
            }

            double total = 0;
            for (var p = 0; p < playable.Length; p++)
            {
                total += weights[p] = Weight(u, playable[p]);
            }

            var count = Math.Clamp((int)Math.Round(Math.Exp(3 + (0.6 * DemoDraws.Gaussian(random)))), 5, 120);
            var chosen = new HashSet<int>();
            for (var draw = 0; draw < count * 3 && chosen.Count < count; draw++)
            {
                var p = DemoDraws.Weighted(random, weights, total);
                if (chosen.Add(p))
                {
                    plays.Append(string.Create(inv, $"u{u:D5},t{playable[p]:D5},{1 + random.Next(5)}\n"));
                }
            }
        }

        var isPlayable = DemoDraws.Mask(itemCount, playable);

        return (items.ToString(), plays.ToString(), (u, i) => isPlayable[i] ? Weight(u, i) : 0, i => popularity[i]);

        double Weight(int u, int item)
        {
            var tagAffinity = itemTags[item].Sum(t => userTags[u][t]);
            var affinity = (tagSignal * tagAffinity) + ((1 - tagSignal) * userClusters[u][cluster[item]]);
            return popularity[item] * Math.Exp(3 * affinity);
        }
    }

    /// <summary>Writes items.csv and plays.csv (atomically) into <paramref name="folder"/>.</summary>
    public static void Write(string folder, (string Items, string Plays) files)
    {
        Directory.CreateDirectory(folder);
        IO.AtomicFile.WriteAllText(Path.Combine(folder, "items.csv"), files.Items);
        IO.AtomicFile.WriteAllText(Path.Combine(folder, "plays.csv"), files.Plays);
    }

}
