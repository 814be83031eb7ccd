using System.Numerics.Tensors;
using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Serving;

/// <summary>
/// Similar items of a factor model (ALS, BPR, the two-tower) for a large catalogue: the cosine of item vectors, as the
/// model's own <see cref="ISimilarItems"/> computes it by scanning every item, answered instead by an HNSW graph of the
/// unit-length item vectors (inner product of unit vectors is their cosine). Unlike a user's scores, cosine has no long
/// vectors to read first, so the norm-ordered scan cannot help here: the graph is the only way under a millisecond at a
/// million items. Approximate: it may miss a true neighbour (recall measured by <c>bench similar-index</c>); the item itself
/// is never returned, and an item whose vector is zero (no one chose it) has no similar items, as in the scan.
/// </summary>
public sealed class CosineSimilarItems : ISimilarItems
{
    /// <summary>
    /// The graph's search width when served. On the million-item ALS (`bench similar-index`, 1,000 items spread over the
    /// catalogue) width 256 found 0.924 of the true top 10 in 0.41 ms, 512 found 0.943 (0.982 counting answers as similar as
    /// the true tenth) in 0.68 ms, against 12.4 ms for the scan: a similar-items request is cheap either way, so the wider.
    /// </summary>
    public const int ExpansionSearch = 512;

    private readonly PackedItemFactors _items;
    private readonly HnswItemIndex _graph;
    private readonly ISimilarItems _scan;

    /// <param name="items">The model's item factors (the query vectors are read from them).</param>
    /// <param name="graph">A graph built by <see cref="BuildGraph"/> over the same items.</param>
    /// <param name="scan">The model's own similar items (the full scan): the answer when the graph's walk finds fewer items than asked.</param>
    public CosineSimilarItems(PackedItemFactors items, HnswItemIndex graph, ISimilarItems scan)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(scan);
        if (graph.Count != items.ItemCount || graph.Dimensions != items.Factors)
        {
            throw new InvalidDataException($"the similar-items graph holds {graph.Count} items of {graph.Dimensions} factors; the model has {items.ItemCount} of {items.Factors}.");
        }

        (_items, _graph, _scan) = (items, graph, scan);
    }

    /// <summary>The search width the graph answers with.</summary>
    internal int SearchWidth => _graph.ExpansionSearch;

    /// <summary>The graph of the items' unit vectors (an item whose vector is zero stays zero: similar to nothing).</summary>
    public static HnswItemIndex BuildGraph(PackedItemFactors items, HnswOptions? options = null, IProgress<TrainingProgress>? progress = null, string stage = "similar items indexed")
    {
        ArgumentNullException.ThrowIfNull(items);
        var (vectors, _) = items.Unpack();
        var width = items.Factors;
        Parallel.For(0, items.ItemCount, i => _ = Normalise(vectors.AsSpan(i * width, width)));
        return HnswItemIndex.Build(vectors, [], items.ItemCount, width, options, progress, stage);
    }

    public (int[] Items, float[] Similarities) SimilarItems(int item, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var query = new float[_items.Factors];
        _items.CopyItem(item, query);
        if (!Normalise(query))
        {
            return ([], []); // as the model's scan: a zero vector is similar to nothing
        }

        var wanted = Math.Min(k, _items.ItemCount - 1);
        var answer = _graph.Search(query, 0f, wanted, [item], null);

        // A walk reaches the items near the query, not every item: asked for most of the catalogue, it can come back
        // short (2,991 of 2,999 in a test); then the scan answers, as the contract promises k items when there are k.
        return answer.Items.Length >= wanted ? answer : _scan.SimilarItems(item, k);
    }

    /// <summary>Scales the vector to unit length; false when it is zero (and left so).</summary>
    private static bool Normalise(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return norm > 0;
    }
}
