namespace RecKit.Data;

/// <summary>
/// Positions 0..n−1 grouped by their key (a user or item index) with one counting sort: the positions of key k are
/// <c>Positions[Start[k]..Start[k + 1]]</c>, ascending (the data's order kept within a key).
/// </summary>
internal readonly record struct GroupedPositions(int[] Start, int[] Positions)
{
    /// <summary>Groups the positions of <paramref name="keys"/>, each in 0..<paramref name="count"/>−1.</summary>
    public static GroupedPositions Of(ReadOnlySpan<int> keys, int count)
    {
        var start = new int[count + 1];
        foreach (var k in keys)
        {
            start[k + 1]++;
        }

        for (var k = 0; k < count; k++)
        {
            start[k + 1] += start[k];
        }

        var positions = new int[keys.Length];
        var next = start[..^1];
        for (var p = 0; p < keys.Length; p++)
        {
            positions[next[keys[p]]++] = p;
        }

        return new GroupedPositions(start, positions);
    }

    /// <summary>The positions of key <paramref name="key"/>.</summary>
    public Span<int> Group(int key) => Positions.AsSpan(Start[key], Start[key + 1] - Start[key]);
}
