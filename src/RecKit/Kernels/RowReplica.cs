using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Kernels;

/// <summary>
/// One thread's private copy of a factor matrix and its biases that parallel SGD threads share, merged back by
/// adding what the thread changed. Plain Hogwild, where every thread writes the shared rows at every step, spent its
/// time moving cache lines between the cores: on this 2-core machine two threads of BPR ran at half the speed of one.
/// Writing a private copy and merging it a few times an epoch keeps the cores apart (2.5× the one-thread speed);
/// the other threads' updates are seen at each merge rather than at once.
/// </summary>
internal sealed class RowReplica
{
    private readonly float[] _shared;
    private readonly float[] _sharedBias;
    private readonly object _mergeLock;
    private readonly float[] _rows;
    private readonly float[] _base;
    private readonly float[] _bias;
    private readonly float[] _baseBias;
    private readonly int _k;

    /// <param name="mergeLock">One lock for all replicas of the same matrix: merges are rare, and a merge must not
    /// lose another's (a whole merge lost would be far worse than Hogwild's odd lost step).</param>
    public RowReplica(float[] shared, float[] sharedBias, int k, object mergeLock)
    {
        _shared = shared;
        _sharedBias = sharedBias;
        _k = k;
        _mergeLock = mergeLock;
        _rows = new float[shared.Length];
        _base = new float[shared.Length];
        _bias = new float[sharedBias.Length];
        _baseBias = new float[sharedBias.Length];
        Refresh();
    }

    public Span<float> Row(int row) => _rows.AsSpan(row * _k, _k);

    public ref float Bias(int row) => ref _bias[row];

    /// <summary>Takes the shared rows as they now stand (call at the start of a pass).</summary>
    public void Refresh()
    {
        lock (_mergeLock)
        {
            TakeShared();
        }
    }

    /// <summary>Adds this copy's changes since the last merge or refresh to the shared rows, then takes them afresh.</summary>
    public void Merge()
    {
        Subtract(_rows, _base, _rows);
        Subtract(_bias, _baseBias, _bias);
        lock (_mergeLock)
        {
            Add(_shared, _rows, _shared);
            Add(_sharedBias, _bias, _sharedBias);
            TakeShared();
        }
    }

    private void TakeShared()
    {
        _shared.CopyTo(_rows);
        _shared.CopyTo(_base);
        _sharedBias.CopyTo(_bias);
        _sharedBias.CopyTo(_baseBias);
    }
}
