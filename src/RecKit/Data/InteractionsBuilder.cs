namespace RecKit.Data;

/// <summary>
/// Collects interactions by external id while a file is read, then applies the duplicate policy once.
/// Ids are interned into the maps as they arrive, so the builder holds no text beyond one string per distinct id.
/// </summary>
public sealed class InteractionsBuilder
{
    private readonly IdMap _users;
    private readonly IdMap _items;
    private int[] _userIndex;
    private int[] _itemIndex;
    private float[] _values;
    private long[] _timestamps;
    private int _count;
    private bool _built;

    /// <summary>Starts a builder; pass existing maps to load into an index space already in use.</summary>
    /// <param name="capacity">Expected rows (a good guess saves regrowing the buffers).</param>
    public InteractionsBuilder(IdMap? users = null, IdMap? items = null, int capacity = 1024)
    {
        _users = users ?? new IdMap();
        _items = items ?? new IdMap();
        capacity = Math.Max(16, capacity);
        _userIndex = new int[capacity];
        _itemIndex = new int[capacity];
        _values = new float[capacity];
        _timestamps = new long[capacity];
    }

    public int Count => _count;

    internal IdMap UserMap => _users;

    internal IdMap ItemMap => _items;

    public void Add(ReadOnlySpan<char> user, ReadOnlySpan<char> item, float value, long timestamp = 0)
        => AddIndices(_users.GetOrAdd(user), _items.GetOrAdd(item), value, timestamp);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void AddIndices(int user, int item, float value, long timestamp)
    {
        if (_count == _userIndex.Length)
        {
            var size = (int)Math.Min(Array.MaxLength, _count * 3L / 2);
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
    /// Applies the duplicate policy once (the builder hands its buffers to the result and cannot be reused)
    /// and returns the interactions in input order (for kept pairs, the
    /// position of the occurrence that was kept; for summed pairs, the first occurrence).
    /// </summary>
    /// <param name="duplicatesMerged">How many input rows were folded into another row.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public Interactions Build(DuplicatePolicy policy, ValueMeaning meaning, bool hasTimestamps, out int duplicatesMerged)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown duplicate policy.");
        }

        if (_built)
        {
            throw new InvalidOperationException("Build was already called on this builder.");
        }

        _built = true;
        var n = _count;
        var values = _values;
        var stamps = _timestamps;
        var keep = new bool[n];

        // Group rows by user (counting sort keeps input order within a user), then sort each user's
        // (item, row) keys: duplicates become neighbours. Users are independent, so they run in parallel.
        var userStart = new int[_users.Count + 1];
        for (var k = 0; k < n; k++)
        {
            userStart[_userIndex[k] + 1]++;
        }

        for (var u = 0; u < _users.Count; u++)
        {
            userStart[u + 1] += userStart[u];
        }

        var keys = new long[n];
        var fill = userStart.AsSpan(0, _users.Count).ToArray();
        for (var k = 0; k < n; k++)
        {
            keys[fill[_userIndex[k]]++] = ((long)_itemIndex[k] << 32) | (uint)k;
        }

        var merged = 0;
        Parallel.For(
            0,
            _users.Count,
            () => 0,
            (u, _, local) =>
            {
                var group = keys.AsSpan(userStart[u], userStart[u + 1] - userStart[u]);
                group.Sort();
                var g = 0;
                while (g < group.Length)
                {
                    var end = g + 1;
                    while (end < group.Length && (group[end] >> 32) == (group[g] >> 32))
                    {
                        end++;
                    }

                    // Within a run rows ascend: the first is the earliest occurrence, the last the latest.
                    var first = (int)(uint)group[g];
                    var last = (int)(uint)group[end - 1];
                    switch (policy)
                    {
                        case DuplicatePolicy.KeepFirst:
                            keep[first] = true;
                            break;
                        case DuplicatePolicy.KeepLast:
                            keep[last] = true;
                            break;
                        default:
                            keep[first] = true;
                            if (end - g > 1)
                            {
                                double sum = 0;
                                var latest = long.MinValue;
                                for (var r = g; r < end; r++)
                                {
                                    var row = (int)(uint)group[r];
                                    sum += _values[row];
                                    latest = Math.Max(latest, _timestamps[row]);
                                }

                                values[first] = (float)sum;
                                stamps[first] = latest;
                            }

                            break;
                    }

                    local += end - g - 1;
                    g = end;
                }

                return local;
            },
            local => Interlocked.Add(ref merged, local));

        duplicatesMerged = merged;

        // Compact the kept rows to the front, in place: a kept row only ever moves to a lower position.
        var at = 0;
        for (var k = 0; k < n; k++)
        {
            if (!keep[k])
            {
                continue;
            }

            _userIndex[at] = _userIndex[k];
            _itemIndex[at] = _itemIndex[k];
            values[at] = values[k];
            stamps[at] = stamps[k];
            at++;
        }

        return new Interactions(_users, _items, _userIndex, _itemIndex, values, hasTimestamps ? stamps : null, meaning, at);
    }
}
