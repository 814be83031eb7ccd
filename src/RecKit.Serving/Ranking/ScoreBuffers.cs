using System.Buffers;
using RecKit.Kernels;

namespace RecKit.Serving;

/// <summary>Score buffers rented per request (no per-request allocation of catalogue-sized arrays), and the shared masking and selection.</summary>
internal static class ScoreBuffers
{
    public static float[] Rent(int items) => ArrayPool<float>.Shared.Rent(items);

    public static void Return(float[] buffer) => ArrayPool<float>.Shared.Return(buffer);

    /// <summary>Excluded and disallowed items (and NaN scores) to −∞, so selection never returns them.</summary>
    public static void Mask(Span<float> scores, ReadOnlySpan<int> excluded, Func<int, bool>? allow)
    {
        foreach (var item in excluded)
        {
            scores[item] = float.NegativeInfinity;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i]) || (allow is not null && !allow(i)))
            {
                scores[i] = float.NegativeInfinity;
            }
        }
    }

    /// <summary>The top k of the masked scores, best first; −∞ entries are never returned.</summary>
    public static (int[] Items, float[] Scores) Top(ReadOnlySpan<float> scores, int k)
    {
        var items = new int[Math.Min(k, scores.Length)];
        var values = new float[items.Length];
        var n = TopK.Select(scores, items.Length, items, values);
        while (n > 0 && float.IsNegativeInfinity(values[n - 1]))
        {
            n--;
        }

        return (items[..n], values[..n]);
    }
}
