using RecKit.Data;
using RecKit.Persistence;

namespace RecKit.Models;

/// <summary>
/// The two-tower's content channel for items no one has interacted with. For each user the cosine between their
/// profile (the mean normalised feature row of their liked training items) and each new item is mapped onto the mean
/// and spread of the towers' own scores for the new items, and blended in with weight w ∈ [0, 1]: the new items keep
/// the range the towers gave them among all items (so they do not crowd out the items the towers know), and their order
/// among themselves follows the cosine as far as w says. The towers alone rank new items from BPR-trained feature
/// embeddings, which on ml-latest-small's genres trail a plain cosine; w is chosen on items held out of training (see
/// <see cref="TwoTowerTrainer"/>). Warm items are scored by the towers only.
/// </summary>
internal sealed class ContentChannel
{
    private readonly CsrMatrix _profiles;
    private readonly CsrMatrix _items;
    private readonly int[] _cold;

    private ContentChannel(float weight, CsrMatrix profiles, CsrMatrix items, int[] cold)
    {
        Weight = weight;
        _profiles = profiles;
        _items = items;
        _cold = cold;
    }

    public float Weight { get; }

    /// <summary>Items the channel scores (no training interactions), ascending.</summary>
    public ReadOnlySpan<int> ColdItems => _cold;

    /// <param name="liked">Items valued at or above this make the profile (a user with none: all their items); null: every item.</param>
    public static ContentChannel Build(float weight, CsrMatrix byUser, CsrMatrix itemFeatures, int[] itemCounts, float? liked)
    {
        var items = ContentTrainer.Normalise(itemFeatures);
        var profiles = ContentTrainer.Normalise(UserHistoryProfile.Build(liked is { } threshold ? Liked(byUser, threshold) : byUser, items));
        return new ContentChannel(weight, profiles, items, [.. Enumerable.Range(0, itemCounts.Length).Where(i => itemCounts[i] == 0)]);
    }

    /// <summary>Each user's items valued at or above the threshold, or all of them when none is.</summary>
    private static CsrMatrix Liked(CsrMatrix byUser, float threshold)
    {
        var pointers = new int[byUser.RowCount + 1];
        var columns = new List<int>(byUser.NonZeroCount);
        for (var u = 0; u < byUser.RowCount; u++)
        {
            var items = byUser.RowColumns(u);
            var values = byUser.RowValues(u);
            var start = columns.Count;
            for (var j = 0; j < items.Length; j++)
            {
                if (Relevance.IsRelevant(values[j], threshold))
                {
                    columns.Add(items[j]);
                }
            }

            if (columns.Count == start)
            {
                columns.AddRange(items);
            }

            pointers[u + 1] = columns.Count;
        }

        var ones = new float[columns.Count];
        Array.Fill(ones, 1f);
        return new CsrMatrix(byUser.RowCount, byUser.ColumnCount, pointers, [.. columns], ones);
    }

    /// <summary>
    /// Blends the cold items' scores (the towers' scores in <paramref name="scores"/>) with the cosine, the cosine first
    /// mapped onto the towers' own mean and spread over the cold items for this user: the new items keep the range the
    /// towers gave them among all items, and only their order among themselves follows the cosine by <see cref="Weight"/>.
    /// </summary>
    public void Blend(int user, Span<float> scores)
    {
        if (Weight == 0 || _cold.Length < 2 || _profiles.RowLength(user) == 0)
        {
            return;
        }

        var dense = System.Buffers.ArrayPool<float>.Shared.Rent(_items.ColumnCount + _cold.Length);
        try
        {
            var profile = Profile(user, dense.AsSpan(0, _items.ColumnCount));
            var cosines = dense.AsSpan(_items.ColumnCount, _cold.Length);
            var moments = default(Moments);
            for (var c = 0; c < _cold.Length; c++)
            {
                moments.Add(scores[_cold[c]], cosines[c] = Dot(profile, _cold[c]));
            }

            if (moments.CosinesVary)
            {
                for (var c = 0; c < _cold.Length; c++)
                {
                    scores[_cold[c]] = moments.Blend(scores[_cold[c]], cosines[c], Weight);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(dense);
        }
    }

    /// <summary>
    /// Blends items added after training (<paramref name="newScores"/>: their tower scores) as <see cref="Blend"/> blends
    /// the catalogue's cold items, with the mean and spread taken over both: the catalogue's cold items
    /// (<paramref name="coldTowerScores"/>, in <see cref="ColdItems"/> order, unblended) and the new ones.
    /// </summary>
    public void BlendNew(int user, ReadOnlySpan<float> coldTowerScores, CsrMatrix newItems, Span<float> newScores)
    {
        if (Weight == 0 || _cold.Length + newItems.RowCount < 2 || _profiles.RowLength(user) == 0 || newItems.RowCount == 0)
        {
            return;
        }

        var profile = Profile(user, new float[_items.ColumnCount]);
        var normalised = ContentTrainer.Normalise(newItems);
        var cosines = new float[newItems.RowCount];
        var moments = default(Moments);
        for (var c = 0; c < _cold.Length; c++)
        {
            moments.Add(coldTowerScores[c], Dot(profile, _cold[c]));
        }

        for (var r = 0; r < newItems.RowCount; r++)
        {
            moments.Add(newScores[r], cosines[r] = normalised.RowDot(r, profile));
        }

        if (moments.CosinesVary)
        {
            for (var r = 0; r < newItems.RowCount; r++)
            {
                newScores[r] = moments.Blend(newScores[r], cosines[r], Weight);
            }
        }
    }

    /// <summary>The user's profile row written densely into <paramref name="target"/> (cleared first).</summary>
    private Span<float> Profile(int user, Span<float> target)
    {
        target.Clear();
        var columns = _profiles.RowColumns(user);
        var values = _profiles.RowValues(user);
        for (var j = 0; j < columns.Length; j++)
        {
            target[columns[j]] = values[j];
        }

        return target;
    }

    /// <summary>
    /// The towers' scores and the cosines of a set of items, summed: the mapping of a cosine onto the towers' mean and
    /// spread over that set, and the blend of an item's tower score with its mapped cosine.
    /// </summary>
    private struct Moments
    {
        private double _towerSum, _towerSquares, _cosSum, _cosSquares;
        private int _count;

        public void Add(float tower, float cosine)
        {
            (_towerSum, _towerSquares, _cosSum, _cosSquares) = (_towerSum + tower, _towerSquares + (tower * tower), _cosSum + cosine, _cosSquares + (cosine * cosine));
            _count++;
        }

        /// <summary>False when the cosines are all alike: they say nothing about the order, and nothing is blended.</summary>
        public readonly bool CosinesVary => CosSpread >= 1e-9;

        private readonly double TowerMean => _towerSum / _count;

        private readonly double CosMean => _cosSum / _count;

        private readonly double TowerSpread => Math.Sqrt(Math.Max(0, (_towerSquares / _count) - (TowerMean * TowerMean)));

        private readonly double CosSpread => Math.Sqrt(Math.Max(0, (_cosSquares / _count) - (CosMean * CosMean)));

        public readonly float Blend(float tower, float cosine, float weight)
        {
            var mapped = TowerMean + (TowerSpread * (cosine - CosMean) / CosSpread);
            return (float)(((1 - weight) * tower) + (weight * mapped));
        }
    }

    public void Write(ModelWriter writer)
    {
        writer.Write(Weight);
        writer.Write(_profiles);
        writer.Write(_items);
        writer.Write(_cold);
    }

    public static ContentChannel Read(ModelReader reader)
    {
        var weight = reader.ReadSingle();
        var profiles = reader.ReadCsrMatrix();
        var items = reader.ReadCsrMatrix();
        var cold = reader.ReadInt32Array();
        reader.Require(profiles.ColumnCount == items.ColumnCount && cold.All(i => (uint)i < (uint)items.RowCount), "content channel sizes disagree");
        return new ContentChannel(weight, profiles, items, cold);
    }

    private float Dot(ReadOnlySpan<float> profile, int item) => _items.RowDot(item, profile);
}
