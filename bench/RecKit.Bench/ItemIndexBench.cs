using System.Diagnostics;
using RecKit.Kernels;
using RecKit.Serving;

namespace RecKit.Bench;

/// <summary>
/// The approximate item index against the exact scan on a generated factor catalogue:
/// `item-index [items=100000] [factors=64] [queries=1000] [ef=128[,192,...]] [connectivity=16]`. Items are clustered the
/// way trained factors are (256 taste centres, noise, norms falling with popularity rank), queries are users near a
/// centre. Builds one graph, saves it and opens the file again (as a bundle is served) once per search width; prints
/// build time, file size, both indexes' time per query (one thread) and recall@10 of the approximate one at each width.
/// </summary>
internal static class ItemIndexBench
{
    public static int Run(string[] args)
    {
        var items = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var factors = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 64;
        var queries = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var widths = (args.Length > 3 ? args[3] : "128").Split(',').Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var connectivity = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : new HnswOptions().Connectivity;
        var random = new Random(7);
        float Gaussian() => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var centres = new float[256 * factors];
        for (var j = 0; j < centres.Length; j++)
        {
            centres[j] = Gaussian();
        }

        var vectors = new float[items * factors];
        var bias = new float[items];
        for (var i = 0; i < items; i++)
        {
            var centre = random.Next(256);
            var norm = (float)Math.Pow(1 + i, -0.3) * 3; // popular items (low index) have longer vectors, as in trained models
            for (var f = 0; f < factors; f++)
            {
                vectors[(i * factors) + f] = norm * (centres[(centre * factors) + f] + (0.7f * Gaussian())) / MathF.Sqrt(factors);
            }

            bias[i] = 0.01f * Gaussian();
        }

        var users = new float[queries][];
        for (var q = 0; q < queries; q++)
        {
            var centre = random.Next(256);
            users[q] = Enumerable.Range(0, factors).Select(f => (centres[(centre * factors) + f] + (0.7f * Gaussian())) / MathF.Sqrt(factors)).ToArray();
        }

        var exact = new ExactItemIndex(new PackedItemFactors(vectors, items, factors, bias));
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> paths;
        var folder = Directory.CreateTempSubdirectory("reckit-index-bench-").FullName;
        TimeSpan build;
        using (var built = HnswItemIndex.Build(vectors, bias, items, factors, new HnswOptions { Connectivity = connectivity }))
        {
            build = clock.Elapsed;
            paths = built.Save(Path.Combine(folder, "index"));
        }

        try
        {
            var bytes = paths.Sum(p => new FileInfo(p).Length);
            var truth = new int[queries][];
            clock.Restart();
            for (var q = 0; q < queries; q++)
            {
                truth[q] = exact.Search(users[q], 0, 10, [], null).Items;
            }

            var exactMs = clock.Elapsed.TotalMilliseconds / queries;
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{items:N0} items × {factors} factors, one graph of connectivity {connectivity} ({Environment.ProcessorCount} threads adding): build {build.TotalSeconds:F1} s ({items / build.TotalSeconds:N0} items/s), files {bytes / 1e6:F0} MB; exact {exactMs:F3} ms/query"));
            foreach (var ef in widths)
            {
                using var approximate = HnswItemIndex.Open(paths, items, factors, ef);
                foreach (var user in users.Take(100))
                {
                    approximate.Search(user, 0, 10, [], null); // the mapped pages read once before the clock
                }

                double found = 0;
                clock.Restart();
                for (var q = 0; q < queries; q++)
                {
                    found += approximate.Search(users[q], 0, 10, [], null).Items.Intersect(truth[q]).Count();
                }

                var approximateMs = clock.Elapsed.TotalMilliseconds / queries;
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"  ef {ef}: HNSW {approximateMs:F3} ms/query ({exactMs / approximateMs:F1}× faster), recall@10 {found / (10.0 * queries):F3}"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }
}
