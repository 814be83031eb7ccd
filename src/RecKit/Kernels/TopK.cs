using System.Runtime.Intrinsics;

namespace RecKit.Kernels;

/// <summary>
/// The one top-K kernel: partial selection with a bounded min-heap, O(n log k), no full sort.
/// Order: score descending, ties by lower index first. NaN and -∞ scores are never selected, so callers
/// exclude items (seen items, unscorable items) by writing -∞ into their slots.
/// </summary>
internal static class TopK
{
    /// <summary>Selects up to k best indices of <paramref name="scores"/> into <paramref name="indices"/>, best first.</summary>
    /// <returns>How many were selected (fewer than k when fewer items are eligible).</returns>
    public static int Select(ReadOnlySpan<float> scores, int k, Span<int> indices)
    {
        if (k <= 0)
        {
            return 0;
        }

        k = Math.Min(k, Math.Min(indices.Length, scores.Length));
        var heapScores = k <= 256 ? stackalloc float[k] : new float[k];
        var heap = indices[..k];
        var size = 0;
        var i = 0;
        for (; i < scores.Length && size < k; i++)
        {
            var s = scores[i];
            if (!(s > float.NegativeInfinity))
            {
                continue; // NaN or -inf: excluded
            }

            Push(heapScores, heap, size++, s, i);
        }

        // The heap is full: only a score strictly above the worst kept one can enter (equal scores never
        // replace, as later indices lose ties), so whole vectors below the threshold are skipped at once.
        var width = Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count;
        while (i < scores.Length)
        {
            if (i + width <= scores.Length && !AnyAbove(scores.Slice(i, width), heapScores[0]))
            {
                i += width;
                continue;
            }

            var end = Math.Min(scores.Length, i + width);
            for (; i < end; i++)
            {
                var s = scores[i];
                if (s > heapScores[0])
                {
                    SiftDown(heapScores, heap, size, s, i);
                }
            }
        }

        SortHeap(heapScores, heap, size);
        return size;
    }

    /// <summary>As <see cref="Select(ReadOnlySpan{float}, int, Span{int})"/>, also copying the selected scores.</summary>
    public static int Select(ReadOnlySpan<float> scores, int k, Span<int> indices, Span<float> selectedScores)
    {
        var n = Select(scores, k, indices);
        for (var j = 0; j < n; j++)
        {
            selectedScores[j] = scores[indices[j]];
        }

        return n;
    }

    /// <summary>
    /// The best <paramref name="k"/> of (item, score) pairs in any order, best first into <paramref name="topItems"/> and
    /// <paramref name="topScores"/>: the order <see cref="Select(ReadOnlySpan{float}, int, Span{int})"/> gives a dense
    /// array (ties to the lower item), for a short list of scattered items (no sort of the list first). Items are distinct.
    /// </summary>
    /// <returns>How many were selected.</returns>
    public static int SelectPairs(ReadOnlySpan<int> items, ReadOnlySpan<float> scores, int k, Span<int> topItems, Span<float> topScores)
    {
        k = Math.Min(k, Math.Min(items.Length, Math.Min(topItems.Length, topScores.Length)));
        if (k <= 0)
        {
            return 0;
        }

        var heap = topItems[..k];
        var heapScores = topScores[..k];
        var size = 0;
        for (var j = 0; j < items.Length; j++)
        {
            var s = scores[j];
            if (!(s > float.NegativeInfinity))
            {
                continue;
            }

            var item = items[j];
            if (size < k)
            {
                Push(heapScores, heap, size++, s, item);
            }
            else if (Worse(heapScores[0], heap[0], s, item))
            {
                SiftDown(heapScores, heap, size, s, item);
            }
        }

        SortHeap(heapScores, heap, size);
        return size;
    }

    /// <summary>Adds (s, i) as entry <paramref name="size"/> of a heap whose root holds the worst kept entry, sifting it up.</summary>
    private static void Push(Span<float> heapScores, Span<int> heap, int size, float s, int i)
    {
        var pos = size;
        while (pos > 0)
        {
            var parent = (pos - 1) >> 1;
            if (!Worse(s, i, heapScores[parent], heap[parent]))
            {
                break;
            }

            heapScores[pos] = heapScores[parent];
            heap[pos] = heap[parent];
            pos = parent;
        }

        heapScores[pos] = s;
        heap[pos] = i;
    }

    /// <summary>Heap-sort in place: repeatedly moves the worst to the end, leaving the entries best first.</summary>
    private static void SortHeap(Span<float> heapScores, Span<int> heap, int size)
    {
        for (var end = size - 1; end > 0; end--)
        {
            var lastScore = heapScores[end];
            var lastIndex = heap[end];
            heapScores[end] = heapScores[0];
            heap[end] = heap[0];
            SiftDown(heapScores[..end], heap[..end], end, lastScore, lastIndex);
        }
    }

    private static bool AnyAbove(ReadOnlySpan<float> chunk, float threshold)
    {
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(chunk);
        return Vector512.IsHardwareAccelerated
            ? Vector512.GreaterThanAny(Vector512.LoadUnsafe(ref start), Vector512.Create(threshold))
            : Vector256.GreaterThanAny(Vector256.LoadUnsafe(ref start), Vector256.Create(threshold));
    }

    private static void SiftDown(Span<float> heapScores, Span<int> heap, int size, float s, int i)
    {
        var pos = 0;
        while (true)
        {
            var child = (2 * pos) + 1;
            if (child >= size)
            {
                break;
            }

            var right = child + 1;
            if (right < size && Worse(heapScores[right], heap[right], heapScores[child], heap[child]))
            {
                child = right;
            }

            if (!Worse(heapScores[child], heap[child], s, i))
            {
                break;
            }

            heapScores[pos] = heapScores[child];
            heap[pos] = heap[child];
            pos = child;
        }

        heapScores[pos] = s;
        heap[pos] = i;
    }

    // a ranks below b: lower score, or equal score and higher index.
    private static bool Worse(float scoreA, int indexA, float scoreB, int indexB) =>
        scoreA < scoreB || (scoreA == scoreB && indexA > indexB);
}
