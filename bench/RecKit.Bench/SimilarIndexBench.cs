using System.Diagnostics;
using System.Globalization;
using RecKit.Bundles;
using RecKit.Models;
using RecKit.Serving;

namespace RecKit.Bench;

/// <summary>
/// Similar items of a bundle's factor model through the cosine graph against the model's own scan: `similar-index ROOT
/// [MODEL=als] [ITEMS=1000] [WIDTHS=64,256,512] [CONNECTIVITY]`. Uses the bundle's graph (similar/MODEL.0.usearch) when it
/// has one and no connectivity is given, else builds one from the model's factors and says how long that took and how large it is. Items spread over the whole
/// catalogue; prints the scan's and the graph's time per query (one thread) and recall@10 at each search width.
/// </summary>
internal static class SimilarIndexBench
{
    public static int Run(string[] args)
    {
        var arguments = BundleIndexArguments.Parse(args, "64,256,512");
        var (folder, name, model, count, widths, connectivity) = arguments;
        if (model is not IFactorModel factors || model is not ISimilarItems scan)
        {
            throw new ArgumentException($"{name} is not a factor model with similar items");
        }

        var graphFile = Path.Combine(folder, "similar", $"{name}.0.usearch");
        string? rebuilt = null;
        if (!File.Exists(graphFile) || connectivity is not null)
        {
            IReadOnlyList<string> files;
            (files, rebuilt) = arguments.BuildAfresh(options => CosineSimilarItems.BuildGraph(factors.PackedItems, options));
            graphFile = files[0];
        }

        var step = Math.Max(1, factors.ItemCount / count);
        var items = Enumerable.Range(0, count).Select(j => j * step).Where(i => i < factors.ItemCount).ToArray();
        var clock = Stopwatch.StartNew();
        var answers = items.Select(i => scan.SimilarItems(i, 10)).ToArray();
        var truth = answers.Select(a => a.Items).ToArray();
        var scanMs = clock.Elapsed.TotalMilliseconds / items.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {factors.ItemCount:N0} items × {factors.Factors} factors; {items.Length:N0} items asked; the model's scan {scanMs:F3} ms/query"));
        foreach (var width in widths)
        {
            using var graph = HnswItemIndex.Open([graphFile], factors.ItemCount, factors.Factors, width);
            var similar = new CosineSimilarItems(factors.PackedItems, graph, scan);
            foreach (var i in items.Take(100))
            {
                similar.SimilarItems(i, 10); // the pages read once
            }

            double found = 0, asGood = 0;
            var found10 = new (int[] Items, float[] Similarities)[items.Length];
            var timer = Stopwatch.StartNew();
            for (var j = 0; j < items.Length; j++)
            {
                found10[j] = similar.SimilarItems(items[j], 10);
                found += found10[j].Items.Intersect(truth[j]).Count();
            }

            var ms = timer.Elapsed.TotalMilliseconds / items.Length;

            // Tail items' vectors point in nearly the same directions, so their true top 10 is often a set of near-ties:
            // an answer as similar as the true tenth (to 1e-4) is as good as a true one.
            for (var j = 0; j < items.Length; j++)
            {
                var tenth = answers[j].Similarities.Length == 0 ? float.PositiveInfinity : answers[j].Similarities[^1];
                asGood += found10[j].Similarities.Count(s => s >= tenth - 1e-4f);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ef {width}: {ms:F3} ms/query ({scanMs / ms:F1}× faster), recall@10 {found / (10.0 * items.Length):F3}, answers as similar as the true tenth {asGood / (10.0 * items.Length):F3}"));
        }

        if (rebuilt is not null)
        {
            Directory.Delete(rebuilt, recursive: true);
        }

        return 0;
    }
}
