using RecKit.Data;

namespace RecKit.Data;

/// <summary>
/// An immutable list of (user, item, value, timestamp) interactions over dense indices, with the id maps
/// that name them. Splits of one data set share the same maps, so an index means the same user or item in
/// every part; a user with no interactions in a part simply has an empty row there.
/// </summary>
public sealed class Interactions
{
    private readonly int[] _users;
    private readonly int[] _items;
    private readonly float[] _values;
    private readonly long[]? _timestamps;
    private CsrMatrix? _byUser;

    /// <summary>
    /// Wraps arrays the caller hands over (they are not copied and must not be changed afterwards).
    /// </summary>
    /// <param name="meaning">What the values mean: ratings, counts (weights read from the input), or none (each a 1).</param>
    public Interactions(IdMap userMap, IdMap itemMap, int[] users, int[] items, float[] values, long[]? timestamps, ValueMeaning meaning)
        : this(userMap, itemMap, users, items, values, timestamps, meaning, users.Length)
    {
        if (items.Length != users.Length || values.Length != users.Length || (timestamps is not null && timestamps.Length != users.Length))
        {
            throw new ArgumentException("users, items, values and timestamps must have the same length.");
        }
    }

    /// <summary>Wraps the first <paramref name="count"/> entries of arrays that may be longer (a loader's buffers).</summary>
    internal Interactions(IdMap userMap, IdMap itemMap, int[] users, int[] items, float[] values, long[]? timestamps, ValueMeaning meaning, int count)
    {
        ArgumentNullException.ThrowIfNull(userMap);
        ArgumentNullException.ThrowIfNull(itemMap);
        if (count < 0 || count > users.Length || count > items.Length || count > values.Length || (timestamps is not null && count > timestamps.Length))
        {
            throw new ArgumentException("count exceeds the arrays' length.");
        }

        for (var k = 0; k < count; k++)
        {
            if ((uint)users[k] >= (uint)userMap.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(users), $"User index {users[k]} at position {k} is outside 0..{userMap.Count - 1}.");
            }

            if ((uint)items[k] >= (uint)itemMap.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(items), $"Item index {items[k]} at position {k} is outside 0..{itemMap.Count - 1}.");
            }
        }

        // No interaction holds a value that is not a number: every model downstream would turn it into NaN parameters.
        if (count > 0 && !FiniteValues.All<float>(values.AsSpan(0, count)))
        {
            var at = Array.FindIndex(values, 0, count, v => !float.IsFinite(v));
            throw new ArgumentException($"The value at position {at} is {values[at]}; interaction values must be finite numbers.", nameof(values));
        }

        UserMap = userMap;
        ItemMap = itemMap;
        _users = users;
        _items = items;
        _values = values;
        _timestamps = timestamps;
        Meaning = meaning;
        Count = count;
    }

    public IdMap UserMap { get; }

    public IdMap ItemMap { get; }

    /// <summary>Number of users in the shared index space (including users with no interaction here).</summary>
    public int UserCount => UserMap.Count;

    /// <summary>Number of items in the shared index space (including items with no interaction here).</summary>
    public int ItemCount => ItemMap.Count;

    public int Count { get; }

    /// <summary>What the values mean (ratings, counts, or none: each a 1).</summary>
    public ValueMeaning Meaning { get; }

    /// <summary>True when the values are ratings (relevance then needs a threshold; rating models report RMSE).</summary>
    public bool HasRatings => Meaning == ValueMeaning.Ratings;

    public bool HasTimestamps => _timestamps is not null;

    public ReadOnlySpan<int> Users => _users.AsSpan(0, Count);

    public ReadOnlySpan<int> Items => _items.AsSpan(0, Count);

    public ReadOnlySpan<float> Values => _values.AsSpan(0, Count);

    /// <summary>Unix seconds per interaction; empty when the input had no timestamps.</summary>
    public ReadOnlySpan<long> Timestamps => _timestamps is null ? default : _timestamps.AsSpan(0, Count);

    /// <summary>
    /// The users × items matrix of values, built once on first use. When the interactions are already in (user, item)
    /// order the matrix shares their item and value arrays: a large data set is not held twice.
    /// </summary>
    public CsrMatrix ByUser => _byUser ??= (Count == _items.Length ? CsrMatrix.FromSortedCoordinates(UserCount, ItemCount, Users, _items, _values) : null)
        ?? CsrMatrix.FromCoordinates(UserCount, ItemCount, Users, Items, Values);

    /// <summary>A new set holding the interactions at the given positions, in that order, with the same maps.</summary>
    /// <summary>The interactions a users × items matrix holds (a model file's seen matrix), row by row.</summary>
    public static Interactions FromMatrix(IdMap users, IdMap items, CsrMatrix matrix, ValueMeaning meaning)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var rows = new int[matrix.NonZeroCount];
        for (var u = 0; u < matrix.RowCount; u++)
        {
            rows.AsSpan(matrix.RowPointers[u], matrix.RowLength(u)).Fill(u);
        }

        return new Interactions(users, items, rows, matrix.ColumnIndices.ToArray(), matrix.Values.ToArray(), null, meaning);
    }

    public Interactions Subset(ReadOnlySpan<int> positions)
    {
        var users = new int[positions.Length];
        var items = new int[positions.Length];
        var values = new float[positions.Length];
        var timestamps = _timestamps is null ? null : new long[positions.Length];
        for (var k = 0; k < positions.Length; k++)
        {
            var p = positions[k];
            users[k] = _users[p];
            items[k] = _items[p];
            values[k] = _values[p];
            if (timestamps is not null)
            {
                timestamps[k] = _timestamps![p];
            }
        }

        return new Interactions(UserMap, ItemMap, users, items, values, timestamps, Meaning);
    }

    /// <summary>A new set where each value is 1 and only interactions with value ≥ threshold are kept.</summary>
    public Interactions ToImplicit(float threshold)
    {
        var keep = new List<int>(Count);
        for (var k = 0; k < Count; k++)
        {
            if (_values[k] >= threshold)
            {
                keep.Add(k);
            }
        }

        var subset = Subset(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keep));
        var ones = new float[subset.Count];
        Array.Fill(ones, 1f);
        return new Interactions(UserMap, ItemMap, subset._users, subset._items, ones, subset._timestamps, meaning: ValueMeaning.None, subset.Count);
    }

    /// <summary>Interactions per user over the whole index space.</summary>
    public int[] CountPerUser() => CountPer(Users, UserCount);

    /// <summary>Interactions per item over the whole index space.</summary>
    public int[] CountPerItem() => CountPer(Items, ItemCount);

    private static int[] CountPer(ReadOnlySpan<int> indices, int size)
    {
        var counts = new int[size];
        foreach (var i in indices)
        {
            counts[i]++;
        }

        return counts;
    }
}
