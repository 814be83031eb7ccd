namespace RecKit.Kernels;

/// <summary>
/// The extra confidence w_j = α·v_j of one row's observed entries in implicit ALS (total confidence 1 + w_j),
/// read from the row's stored values, or α for every entry when the values are ignored. Computed on the fly so
/// that a trainer never keeps a second, scaled copy of the data.
/// </summary>
internal readonly ref struct Confidence
{
    private readonly ReadOnlySpan<float> _values;
    private readonly float _alpha;

    /// <param name="values">The row's values; empty means every value is 1.</param>
    public Confidence(ReadOnlySpan<float> values, float alpha)
    {
        _values = values;
        _alpha = alpha;
    }

    /// <summary>The extra confidence of the j-th observed entry.</summary>
    public float this[int j] => _values.IsEmpty ? _alpha : _alpha * _values[j];
}
