namespace RecKit.Data.Splits;

/// <summary>
/// The same interactions with the item indices in a seeded random order, and item feature rows to match. Ranking ties
/// fall to the lower index; for items no model can tell apart (popularity on never-seen items) the file order would
/// otherwise decide them, and it leaks who rated what first.
/// </summary>
public static class ItemShuffle
{
    public static (Interactions Data, CsrMatrix Features) Apply(Interactions data, CsrMatrix features, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(features);
        var order = Enumerable.Range(0, data.ItemCount).ToArray();
        new Random(seed).Shuffle(order); // new index j is old item order[j]
        var newIndex = new int[order.Length];
        for (var j = 0; j < order.Length; j++)
        {
            newIndex[order[j]] = j;
        }

        var items = IdMap.FromIds(order.Select(i => data.ItemMap[i]));
        var shuffled = new Interactions(data.UserMap, items, data.Users.ToArray(), data.Items.ToArray().Select(i => newIndex[i]).ToArray(), data.Values.ToArray(), null, data.Meaning);
        var (rows, columns, values) = (new List<int>(), new List<int>(), new List<float>());
        for (var j = 0; j < order.Length; j++)
        {
            foreach (var c in features.RowColumns(order[j]))
            {
                rows.Add(j);
                columns.Add(c);
            }

            values.AddRange(features.RowValues(order[j]).ToArray());
        }

        return (shuffled, CsrMatrix.FromCoordinates(features.RowCount, features.ColumnCount, rows.ToArray(), columns.ToArray(), values.ToArray()));
    }
}
