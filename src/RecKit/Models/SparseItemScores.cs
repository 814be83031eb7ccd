using System.Buffers;
using System.Collections.Concurrent;
using RecKit.Kernels;

namespace RecKit.Models;

/// <summary>
/// A history's scores when they touch few items of a large catalogue (item-kNN: the neighbours of the history's items):
/// the whole score array (0 where untouched) and the items touched, leased from a pool kept per model and returned
/// clean on <see cref="Dispose"/> (only the touched entries are cleared). Its <see cref="Top"/> gives what a selection
/// over the whole masked array gives, at the cost of the touched items alone. One request owns a lease at a time.
/// </summary>
public sealed class SparseItemScores : IDisposable
{
    private readonly ConcurrentBag<SparseItemScores> _pool;
    private readonly float[] _values;
    private readonly bool[] _touched;
    private int[] _items = new int[1024];
    private int _count;

    private SparseItemScores(ConcurrentBag<SparseItemScores> pool, int items)
    {
        _pool = pool;
        _values = new float[items];
        _touched = new bool[items];
    }

    /// <summary>A clean lease of <paramref name="items"/> scores from <paramref name="pool"/> (a new one when it is empty).</summary>
    internal static SparseItemScores Lease(ConcurrentBag<SparseItemScores> pool, int items) =>
        pool.TryTake(out var lease) ? lease : new SparseItemScores(pool, items);

    /// <summary>Every item's score: the sum for touched items, 0 for the others.</summary>
    public ReadOnlySpan<float> All => _values;

    /// <summary>The touched items, in the order they were first touched.</summary>
    public ReadOnlySpan<int> Touched => _items.AsSpan(0, _count);

    /// <summary>Adds each of <paramref name="values"/> to the score of the item in the same place of <paramref name="items"/>.</summary>
    internal void Add(ReadOnlySpan<int> items, ReadOnlySpan<float> values)
    {
        for (var n = 0; n < items.Length; n++)
        {
            var item = items[n];
            if (!_touched[item])
            {
                _touched[item] = true;
                if (_count == _items.Length)
                {
                    Array.Resize(ref _items, _items.Length * 2);
                }

                _items[_count++] = item;
            }

            _values[item] += values[n];
        }
    }

    /// <summary>
    /// The best <paramref name="k"/> items, best first, without <paramref name="excluded"/> and the items
    /// <paramref name="allow"/> refuses: the same items, order and scores as a top-k over <see cref="All"/> masked the
    /// same way (ties to the lower index). Null when an untouched item (score 0) would be among them, that is when fewer
    /// than k eligible touched items score above 0: select over <see cref="All"/> then.
    /// </summary>
    public (int[] Items, float[] Scores)? Top(int k, ReadOnlySpan<int> excluded, Func<int, bool>? allow)
    {
        if (k <= 0 || _count < k)
        {
            return null;
        }

        var ids = ArrayPool<int>.Shared.Rent(_count);
        var scores = ArrayPool<float>.Shared.Rent(_count);
        var unmarked = ArrayPool<int>.Shared.Rent(excluded.Length);
        var unmarkedCount = 0;
        try
        {
            // Excluded touched items are unmarked for the pass (one look each, not a search per touched item), then
            // marked again. Excluded items beyond the catalogue (added since) were never touched.
            foreach (var item in excluded)
            {
                if ((uint)item < (uint)_touched.Length && _touched[item])
                {
                    _touched[item] = false;
                    unmarked[unmarkedCount++] = item;
                }
            }

            var eligible = 0;
            foreach (var item in _items.AsSpan(0, _count))
            {
                var score = _values[item];
                if (!_touched[item] || float.IsNaN(score) || (allow is not null && !allow(item)))
                {
                    continue;
                }

                ids[eligible] = item;
                scores[eligible++] = score;
            }

            var top = new int[Math.Min(k, eligible)];
            var values = new float[top.Length];
            var found = TopK.SelectPairs(ids.AsSpan(0, eligible), scores.AsSpan(0, eligible), k, top, values);
            return found < k || !(values[found - 1] > 0f) ? null : (top, values);
        }
        finally
        {
            foreach (var item in unmarked.AsSpan(0, unmarkedCount))
            {
                _touched[item] = true;
            }

            ArrayPool<int>.Shared.Return(ids);
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(unmarked);
        }
    }

    /// <summary>Clears the touched entries and returns the lease to its pool.</summary>
    public void Dispose()
    {
        foreach (var item in _items.AsSpan(0, _count))
        {
            _values[item] = 0f;
            _touched[item] = false;
        }

        _count = 0;
        _pool.Add(this);
    }
}

/// <summary>A model whose user scores touch few items (item-kNN): they come as a <see cref="SparseItemScores"/> lease.</summary>
public interface ISparseScorer
{
    /// <summary>The scores <c>ScoreAll(user)</c> writes, as a lease; null when they are not sparse (a user without history).</summary>
    SparseItemScores? ScoreSparse(int user);
}

/// <summary>A history scorer whose scores touch few items: what <see cref="IHistoryScorer.ScoreHistory"/> writes, as a lease.</summary>
public interface ISparseHistoryScorer : IHistoryScorer
{
    /// <summary>The scores of the history as a lease; null when they are not sparse (an empty history).</summary>
    SparseItemScores? ScoreSparse(ReadOnlySpan<int> items, ReadOnlySpan<float> weights);
}
