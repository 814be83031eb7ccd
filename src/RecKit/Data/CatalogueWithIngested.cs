namespace RecKit.Data;

/// <summary>An interaction the service ingested, as training data: external ids, its value for this catalogue, when (Unix ms).</summary>
public sealed record IngestedInteraction(string User, string Item, float Value, long Timestamp);

/// <summary>An item added or updated, or a user's features set, through the service: raw fields as a features file holds them.</summary>
public sealed record FeatureUpdate(string Id, string? Title, IReadOnlyDictionary<string, string?> Fields);

/// <summary>
/// A catalogue with the interactions the online service ingested since it was built added in (design note 3 §8.1's
/// retraining). Users first seen online join the user map (with no features); interactions of items the catalogue
/// does not have are skipped and counted. A pair already present takes the ingested value for ratings (the latest
/// word) and adds it for counts. Users the service erased (<see cref="UserErasure"/>) leave the original data whole:
/// their interactions, their row of user features and their id; so do items the service deleted from the catalogue.
/// </summary>
public static class CatalogueWithIngested
{
    /// <param name="erased">Hashes (<see cref="UserErasure.Hash"/>) of users to leave out of the original data; null: none.</param>
    /// <param name="deletedItems">Ids of items to leave out (their interactions, features, tags and titles); null: none.</param>
    /// <param name="itemUpdates">Items added or updated through the service: an id the catalogue lacks joins it (its interactions count from then on), a known one takes the new features and title.</param>
    /// <param name="userUpdates">Users' features set through the service, likewise.</param>
    public static (Catalogue Catalogue, int Added, int Skipped) Add(Catalogue catalogue, IReadOnlyList<IngestedInteraction> ingested, IReadOnlySet<string>? erased = null, IReadOnlySet<string>? deletedItems = null, IReadOnlyList<FeatureUpdate>? itemUpdates = null, IReadOnlyList<FeatureUpdate>? userUpdates = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(ingested);
        if (itemUpdates is { Count: > 0 })
        {
            catalogue = WithUpdates(catalogue, itemUpdates, items: true);
        }

        if (userUpdates is { Count: > 0 })
        {
            catalogue = WithUpdates(catalogue, userUpdates, items: false);
        }

        if (erased is { Count: > 0 })
        {
            catalogue = WithoutUsers(catalogue, erased);
        }

        if (deletedItems is { Count: > 0 })
        {
            catalogue = WithoutItems(catalogue, deletedItems);
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
        var (kept, keptIds) = Renumber(data.UserMap.Ids, id => erased.Contains(UserErasure.Hash(id)));
        if (keptIds.Count == data.UserCount)
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
        return catalogue with { Data = reduced, UserFeatures = KeepRows(catalogue.UserFeatures, kept), RawCounts = catalogue.RawCounts is { } raw ? Array.ConvertAll(rows, k => raw[k]) : null };
    }

    /// <summary>The catalogue without the items in <paramref name="deleted"/>: not in the item map, the data, the features, the tags or the titles.</summary>
    private static Catalogue WithoutItems(Catalogue catalogue, IReadOnlySet<string> deleted)
    {
        var data = catalogue.Data;
        var ids = data.ItemMap.Ids;
        var (kept, keptIds) = Renumber(ids, deleted.Contains);
        if (keptIds.Count == ids.Count)
        {
            return catalogue;
        }

        var rows = Enumerable.Range(0, data.Count).Where(k => kept[data.Items[k]] >= 0).ToArray();
        var reduced = new Interactions(
            data.UserMap,
            IdMap.FromIds(keptIds),
            Array.ConvertAll(rows, k => data.Users[k]),
            Array.ConvertAll(rows, k => kept[data.Items[k]]),
            Array.ConvertAll(rows, k => data.Values[k]),
            data.HasTimestamps ? Array.ConvertAll(rows, k => data.Timestamps[k]) : null,
            data.Meaning);
        var titles = catalogue.Titles is { } t ? Enumerable.Range(0, ids.Count).Where(i => kept[i] >= 0).Select(i => i < t.Count ? t[i] : null).ToList() : null;
        return catalogue with
        {
            Data = reduced,
            ItemFeatures = KeepRows(catalogue.ItemFeatures, kept),
            Tags = KeepRows(catalogue.Tags, kept),
            Titles = titles,
            RawCounts = catalogue.RawCounts is { } raw ? Array.ConvertAll(rows, k => raw[k]) : null,
        };
    }

    /// <summary>New indices for the ids that stay (−1 for those <paramref name="drop"/> names), in order, and the ids that stay.</summary>
    private static (int[] Kept, List<string> KeptIds) Renumber(System.Collections.ObjectModel.ReadOnlyCollection<string> ids, Func<string, bool> drop)
    {
        var kept = new int[ids.Count];
        var keptIds = new List<string>(ids.Count);
        for (var j = 0; j < ids.Count; j++)
        {
            kept[j] = drop(ids[j]) ? -1 : keptIds.Count;
            if (kept[j] >= 0)
            {
                keptIds.Add(ids[j]);
            }
        }

        return (kept, keptIds);
    }

    /// <summary>
    /// The catalogue with the service's feature rows: ids it lacks join the item (or user) map with no interactions; each
    /// row is encoded as the catalogue's features file was (values the file never held become new columns) and replaces
    /// the id's row; an item's title replaces its title. Without a features file only ids and titles are taken.
    /// </summary>
    private static Catalogue WithUpdates(Catalogue catalogue, IReadOnlyList<FeatureUpdate> updates, bool items)
    {
        var data = catalogue.Data;
        var map = IdMap.FromIds(items ? data.ItemMap.Ids : data.UserMap.Ids);
        var (features, encoder) = items ? (catalogue.ItemFeatures, catalogue.ItemEncoder) : (catalogue.UserFeatures, catalogue.UserEncoder);
        var rows = new Dictionary<int, List<(string, float)>>();
        var titles = catalogue.Titles?.ToList() ?? (items && updates.Any(u => u.Title is not null) ? [] : null);
        foreach (var update in updates)
        {
            var index = map.GetOrAdd(update.Id);
            if (encoder is not null)
            {
                try
                {
                    rows[index] = encoder.Encode(FeatureEncoder.Lookup(update.Fields));
                }
                catch (FormatException)
                {
                    // Checked when the service took the row; one that no longer encodes keeps the file's row.
                }
            }

            if (items && update.Title is { } title && titles is not null)
            {
                while (titles.Count <= index)
                {
                    titles.Add(null);
                }

                titles[index] = title;
            }
        }

        FeatureMatrix? merged = features;
        if (features is not null)
        {
            var triples = new List<(int, string, float)>();
            for (var r = 0; r < map.Count; r++)
            {
                if (rows.TryGetValue(r, out var row))
                {
                    triples.AddRange(row.Select(f => (r, f.Item1, f.Item2)));
                }
                else if (r < features.RowCount)
                {
                    var columns = features.Values.RowColumns(r);
                    var values = features.Values.RowValues(r);
                    for (var j = 0; j < columns.Length; j++)
                    {
                        triples.Add((r, features.Columns[columns[j]], values[j]));
                    }
                }
            }

            merged = FeatureMatrix.FromTriples(map.Count, triples, features.Columns);
        }

        var extended = items
            ? new Interactions(data.UserMap, map, data.Users.ToArray(), data.Items.ToArray(), data.Values.ToArray(), data.HasTimestamps ? data.Timestamps.ToArray() : null, data.Meaning)
            : new Interactions(map, data.ItemMap, data.Users.ToArray(), data.Items.ToArray(), data.Values.ToArray(), data.HasTimestamps ? data.Timestamps.ToArray() : null, data.Meaning);
        return items
            ? catalogue with { Data = extended, ItemFeatures = merged, Titles = titles, Tags = Extend(catalogue.Tags, map.Count) }
            : catalogue with { Data = extended, UserFeatures = merged };
    }

    /// <summary>The matrix with empty rows added up to <paramref name="rows"/>.</summary>
    private static FeatureMatrix? Extend(FeatureMatrix? features, int rows) =>
        features is null || features.RowCount >= rows ? features
            : new FeatureMatrix(new CsrMatrix(rows, features.Values.ColumnCount, [.. features.Values.RowPointers, .. Enumerable.Repeat(features.Values.NonZeroCount, rows - features.RowCount)], features.Values.ColumnIndices.ToArray(), features.Values.Values.ToArray()), features.Columns);

    /// <summary>The rows of <paramref name="features"/> whose entry in <paramref name="kept"/> is 0 or more, in order (a row past the matrix: empty).</summary>
    private static FeatureMatrix? KeepRows(FeatureMatrix? features, int[] kept)
    {
        if (features is null)
        {
            return null;
        }

        var pointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<float>();
        for (var row = 0; row < kept.Length; row++)
        {
            if (kept[row] < 0)
            {
                continue;
            }

            if (row < features.RowCount)
            {
                columns.AddRange(features.Values.RowColumns(row).ToArray());
                values.AddRange(features.Values.RowValues(row).ToArray());
            }

            pointers.Add(columns.Count);
        }

        return new FeatureMatrix(new CsrMatrix(pointers.Count - 1, features.Values.ColumnCount, [.. pointers], [.. columns], [.. values]), features.Columns);
    }
}
