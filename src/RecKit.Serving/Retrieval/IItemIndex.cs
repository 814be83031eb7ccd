namespace RecKit.Serving;

/// <summary>
/// Retrieval for factor models: the top-k items for a query vector, where an item's score is
/// offset + query · y_i + b_i over the model's item factors and biases.
/// <para>
/// Contract (ItemIndexContract): at most k items, best first, never an excluded item, never one <c>allow</c> rejects,
/// never a NaN score; k items whenever k items are allowed. An exact index returns exactly the brute-force top-k, ties
/// to the lower item index. An approximate index may miss true neighbours but must keep the rest of the contract: it
/// over-fetches k + |excluded| candidates (then more, doubling, while the filter leaves fewer than k) and drops the
/// excluded and disallowed ones itself.
/// </para>
/// </summary>
public interface IItemIndex
{
    /// <summary>Items indexed.</summary>
    int Count { get; }

    /// <summary>Length of a query vector.</summary>
    int Dimensions { get; }

    /// <summary>True when <see cref="Search"/> returns exactly the brute-force top-k.</summary>
    bool IsExact { get; }

    /// <param name="excluded">Items never to return, ascending.</param>
    /// <param name="allow">When given, only items it accepts may be returned.</param>
    (int[] Items, float[] Scores) Search(ReadOnlySpan<float> query, float offset, int k, ReadOnlySpan<int> excluded, Func<int, bool>? allow);
}
