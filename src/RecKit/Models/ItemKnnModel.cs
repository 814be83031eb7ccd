using RecKit.Data;
using RecKit.Kernels;
using RecKit.Persistence;

namespace RecKit.Models;

/// <summary>
/// A fitted item-kNN model. Ranking score of item j for user u: Σ over u's items i of sim(i, j) for the j among
/// i's kept neighbours. Rating prediction (u, i): the bias baseline plus the similarity-weighted mean of u's
/// residuals r_uj − baseline(u, j) over the items j among i's nearest neighbours that u rated; when u rated none
/// of them, the baseline alone. Users without history are ranked by popularity.
/// </summary>
public sealed class ItemKnnModel : IRecommender, IRatingPredictor, IPersistableModel, ISimilarItems, ISparseScorer
{
    public const string FileKind = "item-knn";
    private readonly CsrMatrix _neighbours;
    private readonly CsrMatrix _history;
    private readonly BiasModel _baseline;
    private readonly float[] _popularity;
    private readonly int _predictionNeighbours;
    private readonly System.Collections.Concurrent.ConcurrentBag<SparseItemScores> _sparse = [];

    internal ItemKnnModel(CsrMatrix neighbours, CsrMatrix history, BiasModel baseline, float[] popularity, int predictionNeighbours, bool predictsRatings)
    {
        _neighbours = neighbours;
        _history = history;
        _baseline = baseline;
        _popularity = popularity;
        _predictionNeighbours = predictionNeighbours;
        PredictsRatings = predictsRatings;
    }

    public int UserCount => _history.RowCount;

    public int ItemCount => _neighbours.RowCount;

    public bool PredictsRatings { get; }

    public string Kind => FileKind;

    public int PayloadVersion => 1;

    /// <summary>Each item's kept neighbours and similarities (columns ascending).</summary>
    public CsrMatrix Neighbours => _neighbours;

    public bool IsKnownUser(int user) => _history.RowLength(user) > 0;

    public void ScoreAll(int user, Span<float> scores)
    {
        Guard.User(user, UserCount);
        ScoreHistory(_history.RowColumns(user), scores); // a user without history gets popularity, as an empty history does
    }

    /// <summary>Scores every item for any history (a user's items as they are now, or a visitor's): Σ over the history of each item's neighbour similarities.</summary>
    public void ScoreHistory(ReadOnlySpan<int> history, Span<float> scores)
    {
        Guard.Buffer(scores.Length, ItemCount);
        if (history.IsEmpty)
        {
            _popularity.CopyTo(scores);
            return;
        }

        scores[..ItemCount].Clear();
        foreach (var i in history)
        {
            var columns = _neighbours.RowColumns(i);
            var similarities = _neighbours.RowValues(i);
            for (var n = 0; n < columns.Length; n++)
            {
                scores[columns[n]] += similarities[n];
            }
        }
    }

    public SparseItemScores? ScoreSparse(int user)
    {
        Guard.User(user, UserCount);
        return ScoreHistorySparse(_history.RowColumns(user));
    }

    /// <summary>
    /// What <see cref="ScoreHistory"/> writes, as a lease that touched only the history's neighbours (the same sums in
    /// the same order); null for an empty history (ranked by popularity).
    /// </summary>
    public SparseItemScores? ScoreHistorySparse(ReadOnlySpan<int> history)
    {
        if (history.IsEmpty)
        {
            return null;
        }

        var lease = SparseItemScores.Lease(_sparse, ItemCount);
        foreach (var i in history)
        {
            lease.Add(_neighbours.RowColumns(i), _neighbours.RowValues(i));
        }

        return lease;
    }

    /// <summary>
    /// Each item's <c>predictionNeighbours</c> most similar neighbours, best first (positions within its neighbour row),
    /// selected once on first use: a rating prediction then costs a few binary searches instead of a selection.
    /// </summary>
    private (int[] Start, int[] Positions) Nearest => _nearest ??= SelectNearest();

    private (int[] Start, int[] Positions)? _nearest;

    private (int[] Start, int[] Positions) SelectNearest()
    {
        var rows = new int[ItemCount][];
        Parallel.For(0, ItemCount, i =>
        {
            var order = new int[_neighbours.RowLength(i)];
            rows[i] = order[..TopK.Select(_neighbours.RowValues(i), _predictionNeighbours, order)];
        });
        var start = new int[ItemCount + 1];
        for (var i = 0; i < ItemCount; i++)
        {
            start[i + 1] = start[i] + rows[i].Length;
        }

        var positions = new int[start[ItemCount]];
        for (var i = 0; i < ItemCount; i++)
        {
            rows[i].CopyTo(positions, start[i]);
        }

        return (start, positions);
    }

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        Guard.User(user, UserCount);
        var history = _history.RowColumns(user);
        if (history.IsEmpty || items.Length * LookupsPerAdd < MeanNeighbours)
        {
            ScoreByLookup(history, items, scores);
        }
        else if (ItemCount <= ItemsPerAdd * history.Length * MeanNeighbours)
        {
            ScoreByDenseScatter(history, items, scores);
        }
        else
        {
            ScoreBySparseScatter(history, items, scores);
        }
    }

    /// <summary>A binary search's steps against one scatter-add: past this many targets per neighbour, adding rows wins.</summary>
    private const int LookupsPerAdd = 8;

    /// <summary>
    /// Items a catalogue-long buffer may have per neighbour added before tracking the touched items costs less than
    /// clearing it (a 9,724-item catalogue, 200 neighbours per item: 12 µs dense against 66 µs tracked per request).
    /// </summary>
    private const int ItemsPerAdd = 8;

    /// <summary>Many targets, a small catalogue: the history's neighbour rows added into one pooled catalogue-long buffer.</summary>
    internal void ScoreByDenseScatter(ReadOnlySpan<int> history, ReadOnlySpan<int> items, Span<float> scores)
    {
        var all = System.Buffers.ArrayPool<float>.Shared.Rent(ItemCount);
        ScoreHistory(history, all);
        for (var j = 0; j < items.Length; j++)
        {
            scores[j] = all[items[j]];
        }

        System.Buffers.ArrayPool<float>.Shared.Return(all);
    }

    /// <summary>
    /// Many targets, a large catalogue: each history item's whole neighbour row added once into a lease that tracks what it
    /// touched (the same sums, in the same order), so that nothing catalogue-long is cleared.
    /// </summary>
    internal void ScoreBySparseScatter(ReadOnlySpan<int> history, ReadOnlySpan<int> items, Span<float> scores)
    {
        using var lease = ScoreHistorySparse(history)!;
        var all = lease.All;
        for (var j = 0; j < items.Length; j++)
        {
            scores[j] = all[items[j]];
        }
    }

    private double MeanNeighbours => ItemCount == 0 ? 0 : (double)_neighbours.NonZeroCount / ItemCount;

    /// <summary>The reference for <see cref="Score"/>: each target looked up in every neighbour row of the history.</summary>
    internal void ScoreByLookup(ReadOnlySpan<int> history, ReadOnlySpan<int> items, Span<float> scores)
    {
        for (var j = 0; j < items.Length; j++)
        {
            if (history.IsEmpty)
            {
                scores[j] = _popularity[items[j]];
                continue;
            }

            // Σ_i sim(i → target): look the target up in each of the user's items' neighbour lists.
            var sum = 0f;
            foreach (var i in history)
            {
                var at = _neighbours.RowColumns(i).BinarySearch(items[j]);
                sum += at >= 0 ? _neighbours.RowValues(i)[at] : 0f;
            }

            scores[j] = sum;
        }
    }

    public float PredictRating(int user, int item)
    {
        var baseline = _baseline.PredictRating(user, item);
        var columns = _neighbours.RowColumns(item);
        var similarities = _neighbours.RowValues(item);
        // The nearest neighbours of the item, best first, that the user rated.
        var nearest = Nearest;
        var order = nearest.Positions.AsSpan(nearest.Start[item], nearest.Start[item + 1] - nearest.Start[item]);
        var count = order.Length;
        double weighted = 0, total = 0;
        for (var n = 0; n < count; n++)
        {
            var j = columns[order[n]];
            var at = _history.RowColumns(user).BinarySearch(j);
            if (at < 0)
            {
                continue;
            }

            var residual = _history.RowValues(user)[at] - (_baseline.GlobalMean + _baseline.UserBiases[user] + _baseline.ItemBiases[j]);
            weighted += similarities[order[n]] * residual;
            total += similarities[order[n]];
        }

        return total > 0 ? Math.Clamp(baseline + (float)(weighted / total), _baseline.MinRating, _baseline.MaxRating) : baseline;
    }

    public (int[] Items, float[] Similarities) SimilarItems(int item, int k)
    {
        var columns = _neighbours.RowColumns(item);
        var similarities = _neighbours.RowValues(item);
        var order = new int[Math.Min(k, columns.Length)];
        var n = TopK.Select(similarities, order.Length, order);
        var items = new int[n];
        var sims = new float[n];
        for (var j = 0; j < n; j++)
        {
            items[j] = columns[order[j]];
            sims[j] = similarities[order[j]];
        }

        return (items, sims);
    }

    public void WritePayload(ModelWriter writer)
    {
        writer.Write(_predictionNeighbours);
        writer.Write(PredictsRatings);
        writer.Write(_neighbours);
        writer.Write(_history);
        writer.Write(_popularity);
        _baseline.WritePayload(writer);
    }

    internal static ItemKnnModel ReadPayload(ModelReader reader, int version)
    {
        ModelRegistry.RequireVersion(FileKind, version, 1);
        var predictionNeighbours = reader.ReadInt32();
        var predictsRatings = reader.ReadBoolean();
        var neighbours = reader.ReadCsrMatrix();
        var history = reader.ReadCsrMatrix();
        var popularity = reader.ReadSingleArray();
        var baseline = BiasModel.ReadPayload(reader, 1);
        reader.Require(neighbours.RowCount == popularity.Length && history.ColumnCount == popularity.Length && baseline.UserCount == history.RowCount, "item-kNN sizes disagree");
        return new ItemKnnModel(neighbours, history, baseline, popularity, predictionNeighbours, predictsRatings);
    }
}
