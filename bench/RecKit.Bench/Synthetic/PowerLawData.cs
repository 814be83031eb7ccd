using System.Globalization;
using RecKit.Data;
using RecKit.Kernels;

namespace RecKit.Bench.Synthetic;

/// <summary>
/// Interaction data shaped like MovieLens-20M: 138,000 users × 27,000 items, 20 million (user, item) draws with
/// item popularity ∝ 1/rank^0.9 and user activity ∝ 1/rank^0.6, duplicates merged (≈ 15.9 million pairs), seeded.
/// </summary>
internal static class PowerLawData
{
    public static Interactions Generate(int users = 138_000, int items = 27_000, int draws = 20_000_000, int seed = 1)
    {
        var userCdf = Cdf(users, 0.6);
        var itemCdf = Cdf(items, 0.9);
        var builder = new InteractionsBuilder(
            IdMap.FromIds(Enumerable.Range(0, users).Select(u => u.ToString(CultureInfo.InvariantCulture))),
            IdMap.FromIds(Enumerable.Range(0, items).Select(i => i.ToString(CultureInfo.InvariantCulture))),
            draws);
        var random = new FastRandom((ulong)seed);
        for (var d = 0; d < draws; d++)
        {
            builder.AddIndices(Draw(userCdf, random.NextFloat()), Draw(itemCdf, random.NextFloat()), 1f, 0);
        }

        return builder.Build(DuplicatePolicy.KeepFirst, hasRatings: false, hasTimestamps: false, out _);
    }

    private static double[] Cdf(int n, double exponent)
    {
        var cdf = new double[n];
        double total = 0;
        for (var r = 0; r < n; r++)
        {
            total += 1.0 / Math.Pow(r + 1, exponent);
            cdf[r] = total;
        }

        for (var r = 0; r < n; r++)
        {
            cdf[r] /= total;
        }

        return cdf;
    }

    private static int Draw(double[] cdf, float u)
    {
        var at = Array.BinarySearch(cdf, u);
        return Math.Min(cdf.Length - 1, at >= 0 ? at : ~at);
    }
}
