using System.Globalization;
using RecKit.Data;
using RecKit.Data.Demo;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;

namespace RecKit.Bench;

/// <summary>
/// The ceiling of a generated catalogue: every user's unplayed items ranked by the weight the generator drew the plays
/// with (no model can know more), evaluated exactly as the main job evaluates its models — the same three-way split of
/// the config's data, test users' NDCG@10, train_full's items excluded, every held-out play relevant. Beside it,
/// popularity from train_full, and each user's true taste times the item's popularity estimated from its train_full plays
/// (count plus a prior): how much of the oracle's lead is the true popularity; for "tagged:0", each user's hidden
/// clusters inferred from their plays, the items' clusters given (<see cref="ClusterTastes"/>). Args: CONFIG GENERATOR [SEEDS]; GENERATOR is "music" (the shipped demo) or
/// "tagged:SIGNAL" (<c>make-tagged FOLDER SIGNAL</c>'s catalogue: 2,000 users, 1,500 items, seed 7); SEEDS the split
/// seeds, comma-separated (1,2,3).
/// </summary>
internal static class OracleBench
{
    /// <summary>The priors added to an item's play count when the known-taste ranking estimates its popularity.</summary>
    private static readonly double[] TastePriors = [0.5, 1, 2, 4];

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: oracle CONFIG music|tagged:SIGNAL [SEEDS]");
            return 2;
        }

        try
        {
            return Measure(args);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"oracle: {ex.Message}");
            return 2;
        }
    }

    private static int Measure(string[] args)
    {
        var seeds = (args.Length > 2 ? args[2] : "1,2,3").Split(',').Select(s => int.TryParse(s, CultureInfo.InvariantCulture, out var seed) ? seed : throw new ArgumentException($"split seeds must be whole numbers separated by commas, not '{s}'")).ToArray();
        var description = ColdItemsBench.Describe(args[0]);
        var (weight, popularityOf, plays) = args[1] switch
        {
            "music" => (MusicDemo.TrueWeights(seed: 2026, userCount: 2000, itemCount: 1500), MusicDemo.TruePopularity(seed: 2026, userCount: 2000, itemCount: 1500), MusicDemo.Shipped().Plays),
            var g when g.StartsWith("tagged:", StringComparison.Ordinal) && double.TryParse(g["tagged:".Length..], CultureInfo.InvariantCulture, out var signal) =>
                (TaggedCatalogue.TrueWeights(seed: 7, userCount: 2000, itemCount: 1500, signal), TaggedCatalogue.TruePopularity(seed: 7, userCount: 2000, itemCount: 1500, signal), TaggedCatalogue.Generate(seed: 7, userCount: 2000, itemCount: 1500, signal).Plays),
            var g => throw new ArgumentException($"unknown generator '{g}': music or tagged:SIGNAL"),
        };

        // The weights are only the truth of the very plays they drew: refuse a file the generator did not write.
        if (File.ReadAllText(description.Path) != plays)
        {
            Console.Error.WriteLine($"{description.Path} is not what '{args[1]}' generates (make-music-demo, or make-tagged FOLDER SIGNAL with the same signal)");
            return 2;
        }

        var catalogue = Catalogue.Load(description);
        var data = catalogue.Data;
        var oracle = new TrueWeightRecommender(data, weight);
        var hiddenClusters = args[1] == "tagged:0" ? HiddenClusters(weight, popularityOf) : null; // the same for every split
        foreach (var seed in seeds)
        {
            var split = Splitter.ThreeWay(data, seed, testFraction: 0.2, metaFraction: 0.2, perItem: false);
            var options = new EvaluationOptions { Ks = [10], RelevanceThreshold = catalogue.Relevance(4f), ComputeAuc = false, Seed = seed };
            var best = Evaluator.Evaluate(oracle, split.TrainFull, split.Test, options);
            var popularity = Evaluator.Evaluate(new PopularityTrainer().Fit(split.TrainFull), split.TrainFull, split.Test, options);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"split seed {seed}: NDCG@10 oracle {best["NDCG@10"]:F4}, popularity {popularity["NDCG@10"]:F4} ({split.Test.UserCount:N0} users, {split.Test.Count:N0} test plays)"));

            // Knowing every user's taste exactly but each item's popularity only from its train_full plays: how much of
            // the oracle's lead is the true popularity, which no model can learn beyond what the plays show.
            var known = new Dictionary<int, int>();
            var counts = split.TrainFull.CountPerItem();
            for (var j = 0; j < data.ItemCount; j++)
            {
                known[TrueWeightRecommender.Index(data.ItemMap.Ids[j])] = counts[j];
            }

            var tastes = new List<string>();
            foreach (var prior in TastePriors)
            {
                var taste = new TrueWeightRecommender(data, (u, i) => popularityOf(i) > 0 ? weight(u, i) / popularityOf(i) * (known[i] + prior) : 0);
                tastes.Add(string.Create(CultureInfo.InvariantCulture, $"{Evaluator.Evaluate(taste, split.TrainFull, split.Test, options)["NDCG@10"]:F4} (+{prior})"));
            }

            Console.WriteLine($"  tastes known, popularity from train_full's plays (count + prior): {string.Join(", ", tastes)}");
            if (hiddenClusters is { } clusterOf)
            {
                var learned = new List<string>();
                foreach (var fromPlays in new[] { false, true })
                {
                    Func<int, double> popularityUsed = fromPlays ? i => known.GetValueOrDefault(i) + 1 : popularityOf;
                    var boost = ClusterTastes(data, split.TrainFull, weight, popularityOf, popularityUsed, clusterOf, out var recoveredShare);
                    var posterior = new TrueWeightRecommender(data, (u, i) => clusterOf[i] < 0 ? 0 : popularityUsed(i) * boost[u][clusterOf[i]]);
                    learned.Add(string.Create(CultureInfo.InvariantCulture, $"{Evaluator.Evaluate(posterior, split.TrainFull, split.Test, options)["NDCG@10"]:F4} ({(fromPlays ? "popularity from plays" : "true popularity")}; the likeliest pair is the true one for {recoveredShare:P0} of users)"));
                }

                Console.WriteLine($"  clusters known, each user's two liked clusters inferred from their train_full plays: {string.Join(", ", learned)}");
            }
        }

        return 0;
    }

    private const int GeneratedUsers = 2000, GeneratedItems = 1500, HiddenClusterCount = 20;

    /// <summary>
    /// Where the tags carry nothing, the generator's taste is two draws of one of 20 hidden clusters per user (weight ×
    /// e³ per draw). The items' clusters are read off the true weights: items of one cluster have the same taste factor
    /// for every user. Returns the cluster of each generator item (−1: never played).
    /// </summary>
    private static int[] HiddenClusters(Func<int, int, double> weight, Func<int, double> truePopularity)
    {
        var clusterOf = new int[GeneratedItems];
        var clusters = new Dictionary<string, int>();
        for (var i = 0; i < GeneratedItems; i++)
        {
            if (weight(0, i) <= 0)
            {
                clusterOf[i] = -1;
                continue;
            }

            var item = i;
            var key = new string([.. Enumerable.Range(0, GeneratedUsers).Select(u => (char)('0' + (int)Math.Round(Math.Log(weight(u, item) / truePopularity(item)) / 3)))]);
            clusterOf[i] = clusters.TryGetValue(key, out var c) ? c : clusters[key] = clusters.Count;
        }

        if (clusters.Count != HiddenClusterCount)
        {
            throw new InvalidOperationException($"expected {HiddenClusterCount} clusters among the played items, found {clusters.Count}");
        }

        return clusterOf;
    }

    /// <summary>
    /// Each user's draws of <see cref="HiddenClusters"/> inferred from their train_full plays alone — the posterior over
    /// the 210 possible pairs, each play drawn with probability popularity × e^(3 × draws of its cluster) / Z — so that an
    /// item scores its popularity times the posterior mean of its cluster's factor: what a model that knew the clusters
    /// could do with the plays it sees. Returns each generator user's factor per cluster; <paramref name="recoveredShare"/>
    /// the share of users whose likeliest pair is their true one.
    /// </summary>
    private static double[][] ClusterTastes(Interactions data, Interactions trainFull, Func<int, int, double> weight, Func<int, double> truePopularity, Func<int, double> popularity, int[] clusterOf, out double recoveredShare)
    {
        var mass = new double[HiddenClusterCount];
        for (var i = 0; i < GeneratedItems; i++)
        {
            if (clusterOf[i] >= 0)
            {
                mass[clusterOf[i]] += popularity(i);
            }
        }

        // Every pair of draws (c1 ≤ c2) with its prior: 1/400 for the same cluster twice, 2/400 for two.
        var pairs = new List<(int A, int B, double Prior)>();
        for (var a = 0; a < HiddenClusterCount; a++)
        {
            for (var b = a; b < HiddenClusterCount; b++)
            {
                pairs.Add((a, b, a == b ? 1.0 / 400 : 2.0 / 400));
            }
        }

        // Under each pair, every cluster's factor e^(3 × draws) and the log of Z, the weight of all playable items.
        var factors = pairs.Select(p => Enumerable.Range(0, HiddenClusterCount).Select(c => Math.Exp(3 * ((c == p.A ? 1 : 0) + (c == p.B ? 1 : 0)))).ToArray()).ToArray();
        var logZ = factors.Select(f => Math.Log(f.Select((x, c) => x * mass[c]).Sum())).ToArray();

        var representative = new int[HiddenClusterCount];
        for (var i = GeneratedItems - 1; i >= 0; i--)
        {
            if (clusterOf[i] >= 0)
            {
                representative[clusterOf[i]] = i;
            }
        }

        var recovered = 0;
        var boost = new double[GeneratedUsers][];
        var byUser = trainFull.ByUser;
        var perCluster = new int[HiddenClusterCount];
        for (var d = 0; d < data.UserCount; d++)
        {
            Array.Clear(perCluster);
            var row = byUser.RowColumns(d);
            foreach (var j in row)
            {
                perCluster[clusterOf[TrueWeightRecommender.Index(data.ItemMap.Ids[j])]]++;
            }

            var plays = row.Length;
            var logPosterior = pairs.Select((p, k) => Math.Log(p.Prior) + (3 * (perCluster[p.A] + perCluster[p.B])) - (plays * logZ[k])).ToArray();
            var top = logPosterior.Max();
            var likeliest = pairs[Array.IndexOf(logPosterior, top)];
            var generatorUser = TrueWeightRecommender.Index(data.UserMap.Ids[d]);
            var truth = Enumerable.Range(0, HiddenClusterCount).Select(c => (int)Math.Round(Math.Log(weight(generatorUser, representative[c]) / truePopularity(representative[c])) / 3)).ToArray();
            recovered += (likeliest.A != likeliest.B ? truth[likeliest.A] == 1 && truth[likeliest.B] == 1 : truth[likeliest.A] == 2) ? 1 : 0;
            var posterior = logPosterior.Select(l => Math.Exp(l - top)).ToArray();
            var total = posterior.Sum();
            var factor = new double[HiddenClusterCount];
            for (var k = 0; k < pairs.Count; k++)
            {
                for (var c = 0; c < HiddenClusterCount; c++)
                {
                    factor[c] += posterior[k] / total * factors[k][c];
                }
            }

            boost[generatorUser] = factor;
        }

        recoveredShare = (double)recovered / data.UserCount;
        return boost;
    }

    /// <summary>Scores an item by the generator's weight for the user (ids u0012 and s0345 / t00345 are indices 12 and 345).</summary>
    private sealed class TrueWeightRecommender : IRecommender
    {
        private readonly float[][] _weights;

        public TrueWeightRecommender(Interactions data, Func<int, int, double> weight)
        {
            var items = data.ItemMap.Ids.Select(Index).ToArray();
            _weights = [.. data.UserMap.Ids.Select(id => items.Select(i => (float)weight(Index(id), i)).ToArray())];
            UserCount = data.UserCount;
            ItemCount = data.ItemCount;
        }

        public int UserCount { get; }

        public int ItemCount { get; }

        public bool IsKnownUser(int user) => true;

        public void ScoreAll(int user, Span<float> scores) => _weights[user].CopyTo(scores);

        public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
        {
            for (var j = 0; j < items.Length; j++)
            {
                scores[j] = _weights[user][items[j]];
            }
        }

        public static int Index(string id) => int.Parse(id.AsSpan(1), CultureInfo.InvariantCulture);
    }
}
