namespace RecKit.Data;

/// <summary>What a filter kept and removed.</summary>
public sealed record FilterResult(Interactions Interactions, int RemovedInteractions, int RemovedUsers, int RemovedItems, int Rounds);

/// <summary>Filters applied before splitting.</summary>
public static class InteractionFilters
{
    /// <summary>
    /// Keeps users with at least <paramref name="minPerUser"/> and items with at least <paramref name="minPerItem"/>
    /// interactions, removing repeatedly until both hold (removing an item can push a user under the bar). The
    /// result has new, compact id maps holding only the users and items that remain, in their original order.
    /// </summary>
    public static FilterResult MinimumCounts(Interactions data, int minPerUser, int minPerItem)
    {
        if (minPerUser < 1 || minPerItem < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minPerUser), "Minimum counts must be ≥ 1.");
        }

        var alive = new bool[data.Count];
        Array.Fill(alive, true);
        var users = data.Users;
        var items = data.Items;
        var rounds = 0;
        while (true)
        {
            rounds++;
            var perUser = new int[data.UserCount];
            var perItem = new int[data.ItemCount];
            for (var k = 0; k < data.Count; k++)
            {
                if (alive[k])
                {
                    perUser[users[k]]++;
                    perItem[items[k]]++;
                }
            }

            var removed = 0;
            for (var k = 0; k < data.Count; k++)
            {
                if (alive[k] && (perUser[users[k]] < minPerUser || perItem[items[k]] < minPerItem))
                {
                    alive[k] = false;
                    removed++;
                }
            }

            if (removed == 0)
            {
                break;
            }
        }

        var keptPositions = Enumerable.Range(0, data.Count).Where(k => alive[k]).ToArray();
        var kept = data.Subset(keptPositions);
        var (compact, keptUsers, keptItems) = Compact(kept);
        return new FilterResult(compact, data.Count - kept.Count, CountDistinctAll(data.Users, data.UserCount) - keptUsers, CountDistinctAll(data.Items, data.ItemCount) - keptItems, rounds);
    }

    /// <summary>Re-indexes users and items that occur, in map order, into new maps.</summary>
    private static (Interactions Data, int Users, int Items) Compact(Interactions data)
    {
        var userIndex = Renumber(data.Users, data.UserCount, out var userIds, data.UserMap);
        var itemIndex = Renumber(data.Items, data.ItemCount, out var itemIds, data.ItemMap);
        var users = new int[data.Count];
        var items = new int[data.Count];
        for (var k = 0; k < data.Count; k++)
        {
            users[k] = userIndex[data.Users[k]];
            items[k] = itemIndex[data.Items[k]];
        }

        var result = new Interactions(IdMap.FromIds(userIds), IdMap.FromIds(itemIds), users, items, data.Values.ToArray(), data.HasTimestamps ? data.Timestamps.ToArray() : null, data.Meaning);
        return (result, userIds.Count, itemIds.Count);
    }

    private static int[] Renumber(ReadOnlySpan<int> indices, int size, out List<string> ids, IdMap map)
    {
        var present = new bool[size];
        foreach (var i in indices)
        {
            present[i] = true;
        }

        var renumbered = new int[size];
        ids = [];
        for (var i = 0; i < size; i++)
        {
            renumbered[i] = present[i] ? ids.Count : -1;
            if (present[i])
            {
                ids.Add(map[i]);
            }
        }

        return renumbered;
    }

    private static int CountDistinctAll(ReadOnlySpan<int> indices, int size)
    {
        var present = new bool[size];
        foreach (var i in indices)
        {
            present[i] = true;
        }

        return present.Count(p => p);
    }
}
