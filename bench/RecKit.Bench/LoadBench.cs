using System.Diagnostics;
using System.Globalization;
using System.Text;
using RecKit.Data;

namespace RecKit.Bench;

/// <summary>
/// Load speed: a seeded 25-million-row `user,item,rating,timestamp` CSV (written once to /tmp, then reused) read
/// several times by the streaming reader. Prints rows/s per run, the median, and peak working set.
/// Args: [rows] [runs] [path].
/// </summary>
internal static class LoadBench
{
    public static int Run(string[] args)
    {
        var rows = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 25_000_000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var path = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), $"reckit-load-{rows}.csv");
        if (!File.Exists(path))
        {
            Generate(path, rows);
        }

        Console.WriteLine($"{path}: {new FileInfo(path).Length / 1e6:F0} MB");
        var rates = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            var result = MovieLens.LoadLatestRatings(Path.GetDirectoryName(path)!, null, Path.GetFileName(path));
            clock.Stop();
            var rate = result.Summary.RowsRead / clock.Elapsed.TotalSeconds;
            rates.Add(rate);
            Console.WriteLine($"run {r + 1}: {result.Summary.RowsRead:N0} rows ({result.Summary.DuplicatesMerged:N0} duplicates merged) in {clock.Elapsed.TotalSeconds:F2}s = {rate / 1e6:F2} M rows/s");
        }

        rates.Sort();
        Console.WriteLine($"load: median {rates[rates.Count / 2] / 1e6:F2} M rows/s over {runs} runs; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} GB");
        return 0;
    }

    private static void Generate(string path, long rows)
    {
        var random = new Random(20);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("userId,movieId,rating,timestamp\n");
        var line = new StringBuilder();
        for (long r = 0; r < rows; r++)
        {
            line.Clear();
            line.Append(random.Next(1, 162_000)).Append(',').Append(random.Next(1, 60_000)).Append(',')
                .Append((random.Next(1, 11) / 2.0).ToString("0.0", CultureInfo.InvariantCulture)).Append(',')
                .Append(1_000_000_000 + random.Next(500_000_000)).Append('\n');
            writer.Write(line);
        }
    }
}
