using System.Diagnostics;
using RecKit.Ranking;

namespace RecKit.Bench;

/// <summary>
/// Top-10 for every user of a random 64-factor model shaped like MovieLens-20M (138,000 users × 27,000 items),
/// through the blocked factor-scoring path. Args: [users] [items] [factors] [runs].
/// </summary>
internal static class TopNAllUsersBench
{
    public static int Run(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 138_000;
        var items = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 27_000;
        var factors = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 64;
        var runs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var random = new Random(1);
        var u = new float[users * factors];
        var v = new float[items * factors];
        for (var j = 0; j < u.Length; j++)
        {
            u[j] = (float)random.NextDouble() - 0.5f;
        }

        for (var j = 0; j < v.Length; j++)
        {
            v[j] = (float)random.NextDouble() - 0.5f;
        }

        var model = new RandomFactorModel(u, v, users, items, factors);
        var times = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            var lists = Recommendations.ForUsers(model, 10, null);
            clock.Stop();
            times.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"run {r + 1}: {clock.Elapsed.TotalSeconds:F2}s ({lists.Length:N0} users)");
        }

        times.Sort();
        Console.WriteLine($"top-10 for all {users:N0} users × {items:N0} items, {factors} factors: median {times[times.Count / 2]:F2}s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} GB");
        return 0;
    }
}
