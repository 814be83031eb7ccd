using RecKit.Bench;

// Benchmarks and quality tables: `dotnet run -c Release --project bench/RecKit.Bench -- <name> [args]`.
// Each benchmark is a class with a static Run(string[] args) method; add one line per benchmark below.
var benchmarks = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["bundle-index"] = BundleIndexBench.Run,
    ["similar-index"] = SimilarIndexBench.Run,
    ["cold-items"] = ColdItemsBench.Run,
    ["cost-plot"] = a =>
    {
        // The lines bench/cost-curve.sh printed (file a[0]) drawn as a PNG (a[1]).
        var points = RecKit.Reports.CostCurveFigure.Parse(File.ReadLines(a[0]));
        RecKit.Reports.CostCurveFigure.Write(a[1], points);
        Console.WriteLine($"{points.Count} sizes drawn to {a[1]}");
        return 0;
    },
    ["cv-ml100k"] = CrossValidationBench.Run,
    ["dashboard"] = DashboardBench.Run,
    ["evaluation"] = EvaluationBench.Run,
    ["item-index"] = ItemIndexBench.Run,
    ["live-memory"] = LiveMemoryBench.Run,
    ["load"] = LoadBench.Run,
    ["make-music-demo"] = a =>
    {
        var folder = a.Length > 0 ? a[0] : Path.Combine("data", "music-demo");
        RecKit.Data.Demo.MusicDemo.Write(folder, RecKit.Data.Demo.MusicDemo.Shipped());
        Console.WriteLine($"wrote users.csv, items.csv, plays.csv to {folder}");
        return 0;
    },
    ["make-tagged"] = a =>
    {
        // FOLDER TAG_SIGNAL [USERS ITEMS SEED]: the generated tag catalogue (src/RecKit/Data/Demo/TaggedCatalogue.cs).
        var signal = double.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture);
        var (users, items, seed) = a.Length > 4 ? (int.Parse(a[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(a[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(a[4], System.Globalization.CultureInfo.InvariantCulture)) : (2000, 1500, 7);
        RecKit.Data.Demo.TaggedCatalogue.Write(a[0], RecKit.Data.Demo.TaggedCatalogue.Generate(seed, users, items, signal));
        Console.WriteLine($"wrote items.csv, plays.csv to {a[0]}");
        return 0;
    },
    ["oracle"] = OracleBench.Run,
    ["peak-flops"] = PeakFlopsBench.Run,
    ["serving"] = ServingBench.Run,
    ["speed"] = SpeedBench.Run,
    ["stack"] = StackBench.Run,
    ["stack-ceiling"] = StackCeilingBench.Run,
    ["topn-all-users"] = TopNAllUsersBench.Run,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: RecKit.Bench <{string.Join("|", benchmarks.Keys.Order())}> [args]");
    return 2;
}

return run(args[1..]);
