using RecKit.Data;

namespace RecKit.Models;

/// <summary>
/// The item features of a user's history as features of the user: row u is the mean of the feature rows of the items
/// u interacted with (users × item-feature columns). The two-tower appends it to the user features, which is how a
/// user's taste in genres, artists or tags reaches items with no interactions.
/// </summary>
public static class UserHistoryProfile
{
    /// <param name="byUser">Users × items; only the pattern is read (every interaction counts once).</param>
    /// <param name="itemFeatures">Items × item features.</param>
    public static CsrMatrix Build(CsrMatrix byUser, CsrMatrix itemFeatures)
    {
        if (byUser.ColumnCount != itemFeatures.RowCount)
        {
            throw new ArgumentException($"The interactions have {byUser.ColumnCount} items and the item features {itemFeatures.RowCount} rows.");
        }

        var columns = itemFeatures.ColumnCount;
        var sums = new float[columns];
        var touched = new bool[columns];
        var order = new List<int>();
        var pointers = new int[byUser.RowCount + 1];
        var outColumns = new List<int>();
        var outValues = new List<float>();
        for (var u = 0; u < byUser.RowCount; u++)
        {
            var items = byUser.RowColumns(u);
            foreach (var item in items)
            {
                var featureColumns = itemFeatures.RowColumns(item);
                var featureValues = itemFeatures.RowValues(item);
                for (var j = 0; j < featureColumns.Length; j++)
                {
                    var c = featureColumns[j];
                    if (!touched[c])
                    {
                        touched[c] = true;
                        order.Add(c);
                    }

                    sums[c] += featureValues[j];
                }
            }

            order.Sort();
            foreach (var c in order)
            {
                if (sums[c] != 0)
                {
                    outColumns.Add(c);
                    outValues.Add(sums[c] / items.Length);
                }

                sums[c] = 0;
                touched[c] = false;
            }

            order.Clear();
            pointers[u + 1] = outColumns.Count;
        }

        return new CsrMatrix(byUser.RowCount, columns, pointers, [.. outColumns], [.. outValues]);
    }

    /// <summary>[left | right]: the same rows, right's columns numbered after left's.</summary>
    public static CsrMatrix SideBySide(CsrMatrix left, CsrMatrix right)
    {
        if (left.RowCount != right.RowCount)
        {
            throw new ArgumentException($"Cannot join {left.RowCount} rows with {right.RowCount}.");
        }

        var pointers = new int[left.RowCount + 1];
        var columns = new int[left.NonZeroCount + right.NonZeroCount];
        var values = new float[columns.Length];
        var at = 0;
        for (var r = 0; r < left.RowCount; r++)
        {
            left.RowColumns(r).CopyTo(columns.AsSpan(at));
            left.RowValues(r).CopyTo(values.AsSpan(at));
            at += left.RowLength(r);
            foreach (var c in right.RowColumns(r))
            {
                columns[at++] = c + left.ColumnCount;
            }

            right.RowValues(r).CopyTo(values.AsSpan(at - right.RowLength(r)));
            pointers[r + 1] = at;
        }

        return new CsrMatrix(left.RowCount, left.ColumnCount + right.ColumnCount, pointers, columns, values);
    }
}
