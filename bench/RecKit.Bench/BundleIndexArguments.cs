using System.Diagnostics;
using System.Globalization;
using RecKit.Bundles;
using RecKit.Models;
using RecKit.Serving;

namespace RecKit.Bench;

/// <summary>
/// The arguments `bundle-index` and `similar-index` share: ROOT [MODEL=als] [COUNT=1000] [WIDTHS] [CONNECTIVITY] — the
/// current bundle under ROOT, one of its models (loaded), how many users or items to ask, the search widths, and (when
/// given) the connectivity of a graph to build afresh instead of the bundle's own.
/// </summary>
internal sealed record BundleIndexArguments(string Folder, string Name, IRecommender Model, int Count, int[] Widths, int? Connectivity)
{
    public static BundleIndexArguments Parse(string[] args, string defaultWidths)
    {
        var folder = CurrentBundle.Folder(args);
        var name = args.Length > 1 ? args[1] : "als";
        return new BundleIndexArguments(
            folder,
            name,
            ModelFile.Load(Path.Combine(folder, "models", $"{name}.model")).Model,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000,
            [.. (args.Length > 3 ? args[3] : defaultWidths).Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))],
            args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// Builds a graph of <see cref="Connectivity"/> links into a temporary folder (the caller deletes it) and says how long
    /// that took and how large its files are.
    /// </summary>
    public (IReadOnlyList<string> Files, string Folder) BuildAfresh(Func<HnswOptions, HnswItemIndex> build)
    {
        var connectivity = Connectivity ?? new HnswOptions().Connectivity;
        var folder = Directory.CreateTempSubdirectory("reckit-bench-graph-").FullName;
        var clock = Stopwatch.StartNew();
        using var graph = build(new HnswOptions { Connectivity = connectivity });
        var files = graph.Save(Path.Combine(folder, Name));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"graph built afresh, connectivity {connectivity}: {clock.Elapsed.TotalSeconds:F1} s, {files.Sum(f => new FileInfo(f).Length) / 1e6:F0} MB"));
        return (files, folder);
    }
}
