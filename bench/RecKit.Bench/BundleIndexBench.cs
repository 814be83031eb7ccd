using System.Diagnostics;
using System.Globalization;
using RecKit.Bundles;
using RecKit.Models;
using RecKit.Serving;

namespace RecKit.Bench;

/// <summary>
/// A bundle's approximate index against the exact scan, with the model's own users: `bundle-index ROOT [MODEL=als]
/// [USERS=1000] [WIDTHS=64,128,256] [CONNECTIVITY]` (with a connectivity: a graph built afresh from the model's factors by
/// this code, instead of the bundle's own). Every few users in order (spread over the whole set), each user's query vector,
/// their seen items excluded as the service excludes them; prints the exact scan's and the graph's time per query (one
/// thread) and recall@10 at each search width. The generated catalogue of `item-index` is clustered the way trained
/// factors are; this measures the factors a run actually trained.
/// </summary>
internal static class BundleIndexBench
{
    public static int Run(string[] args)
    {
        var arguments = BundleIndexArguments.Parse(args, "64,128,256");
        var (folder, name, loaded, count, widths, connectivity) = arguments;
        var model = loaded as IFactorModel ?? throw new ArgumentException($"{name} is not a factor model");
        var seen = ModelFile.Load(Path.Combine(folder, "models", "popularity.model")).Seen ?? throw new ArgumentException("the bundle's popularity model has no seen matrix");
        var indexes = Path.Combine(folder, "indexes"); // none when the bundle's model retrieves by the norm-ordered scan
        IReadOnlyList<string> shards = Directory.Exists(indexes) ? [.. Directory.GetFiles(indexes, $"{name}.*.usearch").Order(StringComparer.Ordinal)] : [];
        string? rebuilt = null;
        if (connectivity is not null)
        {
            var (vectors, bias) = model.PackedItems.Unpack();
            (shards, rebuilt) = arguments.BuildAfresh(options => HnswItemIndex.Build(vectors, bias, model.ItemCount, model.Factors, options));
        }

        var step = Math.Max(1, model.UserCount / count);
        var users = Enumerable.Range(0, count).Select(j => j * step).Where(u => u < model.UserCount).ToArray();
        var queries = users.Select(u =>
        {
            var vector = new float[model.Factors];
            return model.TryGetUserVector(u, vector, out var offset) ? (User: u, Vector: vector, Offset: offset) : (u, null!, 0f);
        }).Where(q => q.Vector is not null).ToArray();
        var exact = new ExactItemIndex(model.PackedItems);
        var clock = Stopwatch.StartNew();
        var truth = queries.Select(q => exact.Search(q.Vector, q.Offset, 10, seen.RowColumns(q.User), null).Items).ToArray();
        var exactMs = clock.Elapsed.TotalMilliseconds / queries.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {model.ItemCount:N0} items × {model.Factors} factors, {shards.Count} graph(s); {queries.Length:N0} users (median {users.Select(u => seen.RowLength(u)).Order().ElementAt(users.Length / 2)} seen); exact {exactMs:F3} ms/query"));
        {
            var build = Stopwatch.StartNew();
            var ordered = new NormOrderedItemIndex(model.PackedItems);
            var built = build.Elapsed.TotalMilliseconds;
            var (ms, recall) = Measure(ordered);
            var shares = queries.Select(q =>
            {
                ordered.Search(q.Vector, q.Offset, 10, seen.RowColumns(q.User), null, out var read);
                return (double)read / model.ItemCount;
            }).Order().ToArray();
            var (vectors, bias) = model.PackedItems.Unpack();
            var norms = Enumerable.Range(0, model.ItemCount).Select(i => Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(vectors.AsSpan(i * model.Factors, model.Factors), vectors.AsSpan(i * model.Factors, model.Factors)) + ((double)bias[i] * bias[i]))).OrderDescending().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  norm-ordered exact scan (built in {built:F0} ms; median share read without exclusions {ordered.MedianShareRead(model):P1}): {ms:F3} ms/query ({exactMs / ms:F1}× faster), recall@10 {recall:F3}; items read per query: median {shares[shares.Length / 2]:P1}, p90 {shares[shares.Length * 9 / 10]:P1}, max {shares[^1]:P1}; item norms: max {norms[0]:F3}, p1 {norms[norms.Length / 100]:F3}, p10 {norms[norms.Length / 10]:F3}, median {norms[norms.Length / 2]:F3}"));
        }

        foreach (var width in shards.Count == 0 ? [] : widths)
        {
            using var index = HnswItemIndex.Open(shards, model.ItemCount, model.Factors, width);
            var (ms, recall) = Measure(index);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ef {width}: {ms:F3} ms/query ({exactMs / ms:F1}× faster), recall@10 {recall:F3}"));
        }

        if (rebuilt is not null)
        {
            Directory.Delete(rebuilt, recursive: true);
        }

        // Milliseconds per query (one thread, after the first 100 read the pages once) and recall@10 against the scan.
        (double Ms, double Recall) Measure(IItemIndex index)
        {
            foreach (var q in queries.Take(100))
            {
                index.Search(q.Vector, q.Offset, 10, seen.RowColumns(q.User), null);
            }

            double found = 0;
            var timer = Stopwatch.StartNew();
            for (var j = 0; j < queries.Length; j++)
            {
                found += index.Search(queries[j].Vector, queries[j].Offset, 10, seen.RowColumns(queries[j].User), null).Items.Intersect(truth[j]).Count();
            }

            return (timer.Elapsed.TotalMilliseconds / queries.Length, found / (10.0 * queries.Length));
        }

        return 0;
    }
}
