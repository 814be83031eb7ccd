using System.Globalization;
using System.Text;

using RecKit.IO;

namespace RecKit.Data.Demo;

/// <summary>
/// The shipped demo catalogue (data/music-demo): a music service's play counts with user and item features that truly
/// carry signal, seeded. Each user's taste over 12 genres comes from their country (two favourite genres per country)
/// and age (the young lean to the first six genres, the old to the last six) plus noise; each item has a genre, an
/// artist of that genre, mood tags and a tempo drawn per genre (10% missing), a popularity; a user plays items with
/// probability ∝ popularity × taste², as often as 1 + Poisson(3 × taste). A tenth of the items are never played and a
/// twentieth of the users never play (they have features only): the cold-start cases.
/// </summary>
public static class MusicDemo
{
    private static readonly string[] Genres = ["pop", "hiphop", "edm", "indie", "rock", "punk", "jazz", "blues", "classical", "folk", "soul", "country"];
    private static readonly string[] Countries = ["FR", "DE", "US", "BR", "JP", "SE", "NG", "IN"];
    private static readonly string[][] Moods =
    [
        ["upbeat", "catchy", "dance"], ["street", "bass", "flow"], ["club", "drop", "synth"], ["dreamy", "lofi", "quirky"],
        ["loud", "guitar", "anthem"], ["fast", "raw", "angry"], ["smooth", "swing", "late-night"], ["slow", "soulful", "guitar"],
        ["orchestral", "calm", "piano"], ["acoustic", "story", "calm"], ["groove", "warm", "vocal"], ["twang", "story", "road"],
    ];

    private static readonly double[] Tempo = [120, 95, 128, 110, 130, 170, 100, 80, 70, 95, 100, 105];

    /// <summary>The shipped demo's settings: seed 2026, 2,000 users, 1,500 songs.</summary>
    public static (string Users, string Items, string Plays) Shipped() => Generate(seed: 2026, userCount: 2000, itemCount: 1500);

    /// <summary>Writes users.csv, items.csv and plays.csv (atomically) into <paramref name="folder"/>.</summary>
    public static void Write(string folder, (string Users, string Items, string Plays) files)
    {
        IO.AtomicFile.WriteAllText(Path.Combine(folder, "users.csv"), files.Users);
        IO.AtomicFile.WriteAllText(Path.Combine(folder, "items.csv"), files.Items);
        IO.AtomicFile.WriteAllText(Path.Combine(folder, "plays.csv"), files.Plays);
    }

    /// <summary>Users, items and plays as CSV text.</summary>
    public static (string Users, string Items, string Plays) Generate(int seed, int userCount, int itemCount)
    {
        var (users, items, plays, _, _) = Draw(seed, userCount, itemCount);
        return (users, items, plays);
    }

    /// <summary>
    /// The weight each play was drawn with, by user and item index (u0012 is user 12, s0345 item 345): popularity × taste²,
    /// 0 for the items never played. Ranking a user's unplayed items by it is the best any model can do on the catalogue
    /// (the ceiling that <c>bench oracle</c> measures).
    /// </summary>
    public static Func<int, int, double> TrueWeights(int seed, int userCount, int itemCount) => Draw(seed, userCount, itemCount).Weight;

    /// <summary>Each item's popularity, the factor of <see cref="TrueWeights"/> that is the same for every user (by item index).</summary>
    public static Func<int, double> TruePopularity(int seed, int userCount, int itemCount) => Draw(seed, userCount, itemCount).Popularity;

    private static (string Users, string Items, string Plays, Func<int, int, double> Weight, Func<int, double> Popularity) Draw(int seed, int userCount, int itemCount)
    {
        var random = new Random(seed);
        var inv = CultureInfo.InvariantCulture;
        var users = new StringBuilder("user_id,age,country\n");
        var taste = new double[userCount][];
        for (var u = 0; u < userCount; u++)
        {
            var country = random.Next(Countries.Length);
            var age = 16 + random.Next(55);
            var youth = (age - 16) / 54.0;
            taste[u] = new double[Genres.Length];
            for (var g = 0; g < Genres.Length; g++)
            {
                var favourite = g == (2 * country) % Genres.Length || g == ((2 * country) + 5) % Genres.Length ? 1.6 : 0;
                var ageLean = g < 6 ? 1.2 * (1 - youth) : 1.2 * youth;
                taste[u][g] = Math.Exp(favourite + ageLean + (0.5 * DemoDraws.Gaussian(random)));
            }

            users.Append(string.Create(inv, $"u{u:D4},{age},{Countries[country]}\n"));
        }

        var items = new StringBuilder("item_id,title,artist,genre,moods,tempo\n");
        var genreOf = new int[itemCount];
        var popularity = new double[itemCount];
        var artistGenre = Enumerable.Range(0, 300).Select(_ => random.Next(Genres.Length)).ToArray();
        for (var i = 0; i < itemCount; i++)
        {
            var artist = random.Next(artistGenre.Length);
            var g = genreOf[i] = artistGenre[artist];
            popularity[i] = Math.Exp(1.2 * DemoDraws.Gaussian(random));
            var moods = Moods[g].Where(_ => random.NextDouble() < 0.7).DefaultIfEmpty(Moods[g][0]);
            var tempo = random.NextDouble() < 0.1 ? string.Empty : Math.Round(Tempo[g] + (12 * DemoDraws.Gaussian(random))).ToString(inv);
            items.Append(string.Create(inv, $"s{i:D4},\"Song {i} by Artist {artist}\",a{artist:D3},{Genres[g]},{string.Join('|', moods)},{tempo}\n"));
        }

        // A tenth of the items are never played, a twentieth of the users never play: the cold-start cases.
        var playable = Enumerable.Range(0, itemCount).Where(_ => random.NextDouble() >= 0.1).ToArray();
        var plays = new StringBuilder("user_id,item_id,plays\n");
        var weights = new double[playable.Length];
        for (var u = 0; u < userCount; u++)
        {
            if (random.NextDouble() < 0.05)
            {
                continue;
            }

            double total = 0;
            for (var p = 0; p < playable.Length; p++)
            {
                var t = taste[u][genreOf[playable[p]]];
                total += weights[p] = popularity[playable[p]] * t * t;
            }

            var count = Math.Clamp((int)Math.Round(Math.Exp(3.2 + (0.6 * DemoDraws.Gaussian(random)))), 5, 150);
            var chosen = new HashSet<int>();
            for (var draw = 0; draw < count * 3 && chosen.Count < count; draw++)
            {
                var p = DemoDraws.Weighted(random, weights, total);
                if (chosen.Add(p))
                {
                    var item = playable[p];
                    var times = 1 + Poisson(random, 3 * Math.Min(taste[u][genreOf[item]] / 4, 3));
                    plays.Append(string.Create(inv, $"u{u:D4},s{item:D4},{times}\n"));
                }
            }
        }

        var isPlayable = DemoDraws.Mask(itemCount, playable);

        return (users.ToString(), items.ToString(), plays.ToString(), (u, i) => isPlayable[i] ? popularity[i] * taste[u][genreOf[i]] * taste[u][genreOf[i]] : 0, i => popularity[i]);
    }


    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }
}
