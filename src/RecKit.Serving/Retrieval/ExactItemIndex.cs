using System.Numerics.Tensors;
using RecKit.Kernels;

namespace RecKit.Serving;

/// <summary>
/// The exact index: every item scored by the SIMD tile kernel into a pooled buffer, excluded and disallowed items
/// masked, the top k selected (ties to the lower index). Cost O(items × factors) per query: right at ten thousand
/// items; the scale-up issue's approximate index replaces it for a million.
/// </summary>
public sealed class ExactItemIndex(PackedItemFactors items) : IItemIndex
{
    public int Count => items.ItemCount;

    public int Dimensions => items.Factors;

    public bool IsExact => true;

    public (int[] Items, float[] Scores) Search(ReadOnlySpan<float> query, float offset, int k, ReadOnlySpan<int> excluded, Func<int, bool>? allow)
    {
        if (query.Length != items.Factors)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; the index has {items.Factors}.", nameof(query));
        }

        var n = items.ItemCount;
        var buffer = ScoreBuffers.Rent(n);
        try
        {
            var scores = buffer.AsSpan(0, n);
            FactorScoring.ScoreAll(query, items, scores);
            if (offset != 0)
            {
                TensorPrimitives.Add(scores, offset, scores); // as the model's own ScoreAll adds it, before selection
            }

            ScoreBuffers.Mask(scores, excluded, allow);
            return ScoreBuffers.Top(scores, k);
        }
        finally
        {
            ScoreBuffers.Return(buffer);
        }
    }
}
