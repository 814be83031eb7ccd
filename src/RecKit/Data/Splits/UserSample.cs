namespace RecKit.Data.Splits;

/// <summary>
/// A seeded uniform sample of the users of a held-out part: the same id maps, only the sampled users' rows. Evaluating
/// every model on one sample keeps the comparisons paired (every model sees the same users), and a meta model trained
/// on a sample of meta_train users sees the same kind of rows, fewer of them.
/// </summary>
public static class UserSample
{
    /// <summary>The users of <paramref name="data"/> with at least one row, ascending.</summary>
    public static int[] Users(Interactions data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var byUser = data.ByUser;
        return [.. Enumerable.Range(0, byUser.RowCount).Where(u => byUser.RowLength(u) > 0)];
    }

    /// <summary>
    /// <paramref name="data"/> kept to <paramref name="max"/> of its users with rows, drawn uniformly with
    /// <paramref name="seed"/>; the data itself when it has no more than that (or <paramref name="max"/> is null).
    /// </summary>
    public static Interactions Of(Interactions data, int? max, int seed)
    {
        var users = Users(data);
        if (max is not { } limit || users.Length <= limit)
        {
            return data;
        }

        // A partial Fisher–Yates shuffle: the first 'limit' places are a uniform sample without replacement.
        var random = new FastRandom((ulong)FastRandom.DeriveSeed(seed, 0x5A3B1E));
        for (var j = 0; j < limit; j++)
        {
            var pick = j + random.Next(users.Length - j);
            (users[j], users[pick]) = (users[pick], users[j]);
        }

        var keep = new bool[data.UserCount];
        foreach (var u in users.AsSpan(0, limit))
        {
            keep[u] = true;
        }

        var rows = Enumerable.Range(0, data.Count).Where(k => keep[data.Users[k]]).ToArray();
        return new Interactions(
            data.UserMap,
            data.ItemMap,
            Array.ConvertAll(rows, k => data.Users[k]),
            Array.ConvertAll(rows, k => data.Items[k]),
            Array.ConvertAll(rows, k => data.Values[k]),
            data.HasTimestamps ? Array.ConvertAll(rows, k => data.Timestamps[k]) : null,
            data.Meaning);
    }
}
