namespace RecKit.Data;

/// <summary>
/// Collects interactions by external id while a file is read, then applies the duplicate policy once.
/// Ids are interned into the maps as they arrive, so the builder holds no text beyond one string per distinct id.
/// </summary>
public sealed class InteractionsBuilder
{
    private readonly IdMap _users;
    private readonly IdMap _items;
    private int[] _userIndex = new int[1024];
    private int[] _itemIndex = new int[1024];
    private float[] _values = new float[1024];
    private long[] _timestamps = new long[1024];
    private int _count;

    /// <summary>Starts a builder; pass existing maps to load into an index space already in use.</summary>
    public InteractionsBuilder(IdMap? users = null, IdMap? items = null)
    {
        _users = users ?? new IdMap();
        _items = items ?? new IdMap();
    }

    public int Count => _count;

    public void Add(ReadOnlySpan<char> user, ReadOnlySpan<char> item, float value, long timestamp = 0)
        => AddIndices(_users.GetOrAdd(user), _items.GetOrAdd(item), value, timestamp);

    internal void AddIndices(int user, int item, float value, long timestamp)
    {
        if (_count == _userIndex.Length)
        {
            var size = checked(_count * 2);
            Array.Resize(ref _userIndex, size);
            Array.Resize(ref _itemIndex, size);
            Array.Resize(ref _values, size);
            Array.Resize(ref _timestamps, size);
        }

        _userIndex[_count] = user;
        _itemIndex[_count] = item;
        _values[_count] = value;
        _timestamps[_count] = timestamp;
        _count++;
    }

    /// <summary>
    /// Applies the duplicate policy and returns the interactions in input order (for kept pairs, the
    /// position of the occurrence that was kept; for summed pairs, the first occurrence).
    /// </summary>
    /// <param name="duplicatesMerged">How many input rows were folded into another row.</param>
    public Interactions Build(DuplicatePolicy policy, bool hasRatings, bool hasTimestamps, out int duplicatesMerged)
    {
        var n = _count;
        var keys = new long[n];
        var order = new int[n];
        for (var k = 0; k < n; k++)
        {
            keys[k] = ((long)_userIndex[k] << 32) | (uint)_itemIndex[k];
            order[k] = k;
        }

        Array.Sort(keys, order);
        var kept = new List<int>(n);
        var values = (float[])_values.Clone();
        var stamps = (long[])_timestamps.Clone();
        var start = 0;
        while (start < n)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            int first = int.MaxValue, last = -1;
            double sum = 0;
            long latest = long.MinValue;
            for (var g = start; g < end; g++)
            {
                var p = order[g];
                first = Math.Min(first, p);
                last = Math.Max(last, p);
                sum += _values[p];
                latest = Math.Max(latest, _timestamps[p]);
            }

            switch (policy)
            {
                case DuplicatePolicy.KeepFirst:
                    kept.Add(first);
                    break;
                case DuplicatePolicy.KeepLast:
                    kept.Add(last);
                    break;
                case DuplicatePolicy.SumWeights:
                    kept.Add(first);
                    values[first] = (float)sum;
                    stamps[first] = latest;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown duplicate policy.");
            }

            start = end;
        }

        kept.Sort();
        duplicatesMerged = n - kept.Count;
        var m = kept.Count;
        var users = new int[m];
        var items = new int[m];
        var vals = new float[m];
        var ts = hasTimestamps ? new long[m] : null;
        for (var k = 0; k < m; k++)
        {
            var p = kept[k];
            users[k] = _userIndex[p];
            items[k] = _itemIndex[p];
            vals[k] = values[p];
            if (ts is not null)
            {
                ts[k] = stamps[p];
            }
        }

        return new Interactions(_users, _items, users, items, vals, ts, hasRatings);
    }
}
