namespace RecKit.Kernels;

/// <summary>
/// Item factors re-laid for scoring many items at once: tiles of <see cref="TileWidth"/> items, each tile stored
/// factor-major ([factor][item-in-tile]) so one factor of 64 items is one contiguous run that vector loads read.
/// Built once per model; the last tile is zero-padded.
/// </summary>
public sealed class PackedItemFactors
{
    public const int TileWidth = 64;
    private readonly float[] _packed;
    private readonly float[] _bias;

    /// <param name="itemFactors">Items × factors, row-major.</param>
    /// <param name="itemBias">Per-item additive bias, or empty for none.</param>
    public PackedItemFactors(ReadOnlySpan<float> itemFactors, int items, int factors, ReadOnlySpan<float> itemBias = default)
    {
        if (itemFactors.Length != items * factors || (!itemBias.IsEmpty && itemBias.Length != items))
        {
            throw new ArgumentException("Item factors or biases do not match the item and factor counts.");
        }

        ItemCount = items;
        Factors = factors;
        Tiles = (items + TileWidth - 1) / TileWidth;
        _packed = new float[Tiles * TileWidth * factors];
        _bias = new float[Tiles * TileWidth];
        itemBias.CopyTo(_bias);
        for (var i = 0; i < items; i++)
        {
            var tile = i / TileWidth;
            var lane = i % TileWidth;
            var row = itemFactors.Slice(i * factors, factors);
            var baseOffset = tile * TileWidth * factors;
            for (var f = 0; f < factors; f++)
            {
                _packed[baseOffset + (f * TileWidth) + lane] = row[f];
            }
        }
    }

    public int ItemCount { get; }

    /// <summary>The factors row-major (items × factors) and the biases, as given to the constructor: for building another index over them.</summary>
    public (float[] Factors, float[] Bias) Unpack()
    {
        var factors = new float[ItemCount * Factors];
        for (var i = 0; i < ItemCount; i++)
        {
            CopyItem(i, factors.AsSpan(i * Factors, Factors));
        }

        return (factors, _bias[..ItemCount]);
    }

    public int Factors { get; }

    public int Tiles { get; }

    /// <summary>
    /// offset + query · factors + bias for a few items (candidates), reading each item's column of its tile: for a few
    /// hundred items far cheaper than scoring the catalogue, with the same result to float rounding.
    /// </summary>
    public void ScoreItems(ReadOnlySpan<float> query, ReadOnlySpan<int> items, Span<float> scores, float offset = 0)
    {
        if (query.Length != Factors || scores.Length < items.Length)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions (the items {Factors}); {scores.Length} scores for {items.Length} items.");
        }

        for (var j = 0; j < items.Length; j++)
        {
            var item = items[j];
            if ((uint)item >= (uint)ItemCount)
            {
                throw new ArgumentOutOfRangeException(nameof(items), item, $"Item index outside 0..{ItemCount - 1}.");
            }

            var column = _packed.AsSpan((item / TileWidth) * TileWidth * Factors);
            var lane = item % TileWidth;
            var sum = _bias[item] + offset;
            for (var f = 0; f < Factors; f++)
            {
                sum += query[f] * column[(f * TileWidth) + lane];
            }

            scores[j] = sum;
        }
    }

    /// <summary>Writes item <paramref name="item"/>'s factors (without its bias) into <paramref name="destination"/>.</summary>
    public void CopyItem(int item, Span<float> destination)
    {
        if ((uint)item >= (uint)ItemCount || destination.Length < Factors)
        {
            throw new ArgumentOutOfRangeException(nameof(item), item, $"Item index outside 0..{ItemCount - 1}, or fewer than {Factors} floats to write to.");
        }

        var column = _packed.AsSpan((item / TileWidth) * TileWidth * Factors);
        var lane = item % TileWidth;
        for (var f = 0; f < Factors; f++)
        {
            destination[f] = column[(f * TileWidth) + lane];
        }
    }

    /// <summary>One tile: Factors rows of <see cref="TileWidth"/> floats.</summary>
    internal ReadOnlySpan<float> Tile(int tile) => _packed.AsSpan(tile * TileWidth * Factors, TileWidth * Factors);

    internal ReadOnlySpan<float> TileBias(int tile) => _bias.AsSpan(tile * TileWidth, TileWidth);
}
