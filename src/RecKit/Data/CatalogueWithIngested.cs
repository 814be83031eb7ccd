namespace RecKit.Data;

/// <summary>An interaction the service ingested, as training data: external ids, its value for this catalogue, when (Unix ms).</summary>
public sealed record IngestedInteraction(string User, string Item, float Value, long Timestamp);

/// <summary>
/// A catalogue with the interactions the online service ingested since it was built added in (design note 3 §8.1's
/// retraining). Users first seen online join the user map (with no features); interactions of items the catalogue
/// does not have are skipped and counted. A pair already present takes the ingested value for ratings (the latest
/// word) and adds it for counts. Users the service erased (<see cref="UserErasure"/>) leave the original data whole:
/// their interactions, their row of user features and their id.
/// </summary>
public static class CatalogueWithIngested
{
    /// <param name="erased">Hashes (<see cref="UserErasure.Hash"/>) of users to leave out of the original data; null: none.</param>
    public static (Catalogue Catalogue, int Added, int Skipped) Add(Catalogue catalogue, IReadOnlyList<IngestedInteraction> ingested, IReadOnlySet<string>? erased = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(ingested);
        if (erased is { Count: > 0 })
        {
            catalogue = WithoutUsers(catalogue, erased);
        }

        var data = catalogue.Data;
        var users = IdMap.FromIds(data.UserMap.Ids);
        var pairs = new Dictionary<(int, int), int>(data.Count + ingested.Count);
        var u = new List<int>(data.Count + ingested.Count);
        var i = new List<int>(u.Capacity);
        var v = new List<float>(u.Capacity);
        var t = new List<long>(u.Capacity);
        for (var k = 0; k < data.Count; k++)
        {
            pairs[(data.Users[k], data.Items[k])] = u.Count;
            u.Add(data.Users[k]);
            i.Add(data.Items[k]);
            v.Add(data.Values[k]);
            t.Add(data.HasTimestamps ? data.Timestamps[k] : 0);
        }

        int added = 0, skipped = 0;
        foreach (var x in ingested)
        {
            if (!data.ItemMap.TryGetIndex(x.Item, out var item) || !float.IsFinite(x.Value))
            {
                skipped++;
                continue;
            }

            var user = users.GetOrAdd(x.User);
            if (pairs.TryGetValue((user, item), out var at))
            {
                v[at] = catalogue.Values == ValueMeaning.Counts ? v[at] + x.Value : x.Value;
                t[at] = Math.Max(t[at], x.Timestamp / 1000);
            }
            else
            {
                pairs[(user, item)] = u.Count;
                u.Add(user);
                i.Add(item);
                v.Add(x.Value);
                t.Add(x.Timestamp / 1000);
            }

            added++;
        }

        var merged = new Interactions(users, data.ItemMap, [.. u], [.. i], [.. v], data.HasTimestamps ? [.. t] : null, data.Meaning);
        var userFeatures = catalogue.UserFeatures is { } f && users.Count > f.RowCount
            ? new FeatureMatrix(new CsrMatrix(users.Count, f.Values.ColumnCount, [.. f.Values.RowPointers, .. Enumerable.Repeat(f.Values.NonZeroCount, users.Count - f.RowCount)], f.Values.ColumnIndices.ToArray(), f.Values.Values.ToArray()), f.Columns)
            : catalogue.UserFeatures;
        return (catalogue with { Data = merged, UserFeatures = userFeatures }, added, skipped);
    }

    /// <summary>The catalogue without the users whose id hashes to one in <paramref name="erased"/>: not in the user map, the data or the user features.</summary>
    private static Catalogue WithoutUsers(Catalogue catalogue, IReadOnlySet<string> erased)
    {
        var data = catalogue.Data;
        var ids = data.UserMap.Ids;
        var kept = new int[ids.Count];
        var keptIds = new List<string>(ids.Count);
        for (var user = 0; user < ids.Count; user++)
        {
            kept[user] = erased.Contains(UserErasure.Hash(ids[user])) ? -1 : keptIds.Count;
            if (kept[user] >= 0)
            {
                keptIds.Add(ids[user]);
            }
        }

        if (keptIds.Count == ids.Count)
        {
            return catalogue;
        }

        var rows = Enumerable.Range(0, data.Count).Where(k => kept[data.Users[k]] >= 0).ToArray();
        var reduced = new Interactions(
            IdMap.FromIds(keptIds),
            data.ItemMap,
            Array.ConvertAll(rows, k => kept[data.Users[k]]),
            Array.ConvertAll(rows, k => data.Items[k]),
            Array.ConvertAll(rows, k => data.Values[k]),
            data.HasTimestamps ? Array.ConvertAll(rows, k => data.Timestamps[k]) : null,
            data.Meaning);
        FeatureMatrix? features = null;
        if (catalogue.UserFeatures is { } f)
        {
            var pointers = new List<int> { 0 };
            var columns = new List<int>();
            var values = new List<float>();
            for (var user = 0; user < ids.Count; user++)
            {
                if (kept[user] < 0)
                {
                    continue;
                }

                if (user < f.RowCount)
                {
                    columns.AddRange(f.Values.RowColumns(user).ToArray());
                    values.AddRange(f.Values.RowValues(user).ToArray());
                }

                pointers.Add(columns.Count);
            }

            features = new FeatureMatrix(new CsrMatrix(keptIds.Count, f.Values.ColumnCount, [.. pointers], [.. columns], [.. values]), f.Columns);
        }

        return catalogue with { Data = reduced, UserFeatures = features, RawCounts = catalogue.RawCounts is { } raw ? Array.ConvertAll(rows, k => raw[k]) : null };
    }
}
