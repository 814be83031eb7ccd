using System.Diagnostics;
using System.Globalization;
using RecKit.Data;
using RecKit.Models;
using RecKit.Ranking;
using RecKit.Training;

namespace RecKit.Bench;

/// <summary>
/// Training and serving speed on the MovieLens-20M-shaped data set (<see cref="PowerLawInteractions"/>), or on a MovieLens
/// directory. Args: PART [DATA] [THREADS]. PART: bpr-hogwild | bpr-adam | als | als-foldin | itemknn | itemknn-noshrink |
/// topn | ease-inverse | ease-sweep | export-pairs. DATA: "synthetic" (default), a MovieLens directory, or pairs:FILE (written by export-pairs). THREADS: default every core (for scaling figures). Each part runs in its own
/// process so that peak memory is the part's own.
/// </summary>
internal static class SpeedBench
{
    public static int Run(string[] args)
    {
        var part = args.Length > 0 ? args[0] : "als";
        var source = args.Length > 1 ? args[1] : "synthetic";
        int? threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : null;
        var clock = Stopwatch.StartNew();
        var data = source == "synthetic" ? PowerLawInteractions.Generate()
            : source.StartsWith("pairs:", StringComparison.Ordinal) ? ReadPairs(source["pairs:".Length..])
            : MovieLens.LoadRatings(source).Interactions;
        Console.WriteLine($"data: {data.UserCount:N0} users × {data.ItemCount:N0} items, {data.Count:N0} pairs ({clock.Elapsed.TotalSeconds:F1}s to make)");
        GC.Collect(); // the generator's scratch is not part of any model's memory
        var epochs = new List<double>();
        var context = new TrainingContext
        {
            OnEpochEnd = e =>
            {
                epochs.Add(e.Elapsed.TotalSeconds);
                Console.WriteLine($"  epoch {e.Epoch}: {e.Elapsed.TotalSeconds:F2}s, loss {e.Loss:F4}");
                return EpochDecision.Continue;
            },
        };
        switch (part)
        {
            case "bpr-hogwild":
            case "bpr-adam":
                var optimizer = part == "bpr-adam" ? ImplicitOptimizer.Adam : ImplicitOptimizer.Hogwild;
                new BprTrainer(new BprOptions { Optimizer = optimizer, Epochs = 5, Threads = threads, LearningRate = optimizer == ImplicitOptimizer.Adam ? 1e-3 : 0.05 }).Fit(data, context);
                Report($"BPR {optimizer}, 64 factors", epochs, $"{data.Count / Median(epochs) / 1e6:F2} M positive samples/s");
                break;
            case "als":
                new AlsTrainer(new AlsOptions { Iterations = 5, Factors = 64, Threads = threads }).Fit(data, context);
                Report("ALS, conjugate gradient (3 steps), 64 factors", epochs, $"{Median(epochs):F3} s per iteration");
                break;
            case "als-foldin":
                // Users not seen in training: every 10th user's history solved against a trained model, as a server would.
                var alsOptions = new AlsOptions { Iterations = 1, Factors = 64 };
                var trained = new AlsTrainer(alsOptions).Fit(data);
                clock.Restart();
                var foldIn = new AlsFoldIn(trained, alsOptions);
                Console.WriteLine($"  fold-in set-up (Gram matrix): {clock.Elapsed.TotalMilliseconds:F1} ms");
                var newUsers = Enumerable.Range(0, data.UserCount / 10).Select(u => u * 10).ToArray();
                var foldRuns = new List<double>();
                for (var r = 0; r < 3; r++)
                {
                    clock.Restart();
                    Parallel.ForEach(newUsers, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, u => foldIn.Solve(data.ByUser.RowColumns(u)));
                    foldRuns.Add(clock.Elapsed.TotalSeconds);
                }

                Report($"ALS fold-in of {newUsers.Length:N0} users (exact solve, 64 factors)", foldRuns, $"{newUsers.Length / Median(foldRuns):N0} users/s");
                break;
            case "itemknn":
            case "itemknn-noshrink":
                _ = data.ByUser; // the user × item CSR, made before the clock as the peer's is (implicit is handed a scipy CSR)
                clock.Restart();
                var stages = new StageClock(clock);
                new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 100, Threads = threads, Shrink = part == "itemknn" ? 10 : 0 }).Fit(data, new TrainingContext { Progress = stages });
                Console.WriteLine($"item-kNN build (100 neighbours, shrink {(part == "itemknn" ? 10 : 0)}): {clock.Elapsed.TotalSeconds:F2}s");
                break;
            case "export-pairs":
                // The same pairs for a peer measured beside RecKit: int32 user, int32 item per pair, little-endian.
                var target = args.Length > 3 ? args[3] : "pairs.bin";
                using (var file = new BinaryWriter(File.Create(target)))
                {
                    for (var p = 0; p < data.Count; p++)
                    {
                        file.Write(data.Users[p]);
                        file.Write(data.Items[p]);
                    }
                }

                double squares = 0;
                for (var u = 0; u < data.UserCount; u++)
                {
                    squares += (double)data.ByUser.RowLength(u) * data.ByUser.RowLength(u);
                }

                Console.WriteLine($"wrote {data.Count:N0} pairs to {target}; item-kNN's work, the sum over users of length squared: {squares:E3}");
                break;
            case "topn":
                var model = new AlsTrainer(new AlsOptions { Iterations = 1, Factors = 64 }).Fit(data);
                GC.Collect(); // the trainer's item-major copy of the data is garbage now; serving does not hold it
                var runs = new List<double>();
                for (var r = 0; r < 3; r++)
                {
                    clock.Restart();
                    Recommendations.ForUsers(model, 10, data.ByUser, threads: threads);
                    runs.Add(clock.Elapsed.TotalSeconds);
                    Console.WriteLine($"  run {r + 1}: {runs[^1]:F2}s");
                }

                Report($"top-10 for all {data.UserCount:N0} users, seen items excluded", runs, $"{Median(runs):F3} s");
                break;
            case "ease-inverse":
                EaseInverse(data, threads ?? Environment.ProcessorCount, runs: 2);
                break;
            case "ease-sweep":
                EaseSweep(data, threads ?? Environment.ProcessorCount, runs: 3);
                break;
            default:
                Console.Error.WriteLine($"unknown part '{part}'");
                return 2;
        }

        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} GB");
        return 0;
    }

    /// <summary>
    /// EASE's inversion of XᵀX + 500·I, the Gauss–Jordan kernel and the blocked sweep on the same matrix, alternating
    /// (GJ, blocked, GJ, blocked...): each time and the largest difference between the two results.
    /// </summary>
    private static void EaseInverse(Interactions data, int threads, int runs)
    {
        var n = data.ItemCount;
        var gram = EaseTrainer.Gram(data.ByUser, n, 500f, threads);
        var (plain, blocked) = (new List<double>(), new List<double>());
        float[] a = [], b = [];
        var clock = new Stopwatch();
        for (var r = 0; r < runs; r++)
        {
            a = (float[])gram.Clone();
            clock.Restart();
            RecKit.Kernels.MatrixInverse.InvertSpd(a, n, threads);
            plain.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {r + 1}: Gauss–Jordan {plain[^1]:F2}s"));
            b = (float[])gram.Clone();
            clock.Restart();
            RecKit.Kernels.BlockedSpdInverse.InvertSpd(b, n, threads);
            blocked.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {r + 1}: blocked sweep {blocked[^1]:F2}s (ratio {plain[^1] / blocked[^1]:F1}x)"));
        }

        double largest = 0, scale = 0;
        for (var j = 0; j < a.Length; j++)
        {
            largest = Math.Max(largest, Math.Abs(a[j] - b[j]));
            scale = Math.Max(scale, Math.Abs(a[j]));
        }

        Report($"EASE inverse, {n:N0} items, Gauss–Jordan", plain, $"{Median(plain):F2} s");
        Report($"EASE inverse, {n:N0} items, blocked sweep", blocked, $"{Median(blocked):F2} s; {Median(plain) / Median(blocked):F1}x; largest difference {largest:E2} (largest entry {scale:E2})");
    }

    /// <summary>
    /// The blocked sweep alone on EASE's XᵀX + 500·I (the peer measure: numpy/OpenBLAS spotrf + spotri on the same matrix),
    /// with GFLOP/s counted as n³ (the sweep's n³/2 multiply-adds; LAPACK's n³/3 + 2n³/3 flops).
    /// </summary>
    private static void EaseSweep(Interactions data, int threads, int runs)
    {
        var n = data.ItemCount;
        var gram = EaseTrainer.Gram(data.ByUser, n, 500f, threads);
        var times = new List<double>();
        var clock = new Stopwatch();
        for (var r = 0; r < runs; r++)
        {
            var a = (float[])gram.Clone();
            clock.Restart();
            RecKit.Kernels.BlockedSpdInverse.InvertSpd(a, n, threads);
            times.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {r + 1}: {times[^1]:F2}s ({Math.Pow(n, 3) / times[^1] / 1e9:F1} GFLOP/s at n^3 flops)"));
        }

        Report($"EASE inverse, {n:N0} items, blocked sweep ({RecKit.Kernels.BlockedSpdInverse.Widest})", times, $"{Median(times):F2} s");
    }

    /// <summary>The pairs written by export-pairs (int32 user, int32 item), as implicit interactions: a peer reads the same file.</summary>
    private static Interactions ReadPairs(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pairs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes);
        var count = pairs.Length / 2;
        var (users, items) = (new int[count], new int[count]);
        for (var p = 0; p < count; p++)
        {
            users[p] = pairs[2 * p];
            items[p] = pairs[(2 * p) + 1];
        }

        var userMap = IdMap.FromIds(Enumerable.Range(0, users.Max() + 1).Select(u => u.ToString(CultureInfo.InvariantCulture)));
        var itemMap = IdMap.FromIds(Enumerable.Range(0, items.Max() + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var ones = new float[count];
        Array.Fill(ones, 1f);
        return new Interactions(userMap, itemMap, users, items, ones, null, meaning: ValueMeaning.None);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static void Report(string what, List<double> times, string figure) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: median {Median(times):F3}s over {times.Count} runs -> {figure}"));

    /// <summary>Prints when each stage of a fit starts and ends (synchronously, unlike Progress&lt;T&gt;).</summary>
    private sealed class StageClock(Stopwatch clock) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,6:F2}s {value.Stage} {value.Done}/{value.Total}"));
    }
}
