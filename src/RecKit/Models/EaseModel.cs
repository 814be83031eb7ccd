using RecKit.Data;
using RecKit.Persistence;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>
/// A fitted EASE model: a user's scores are the sum of the weight rows of the items they interacted with. The weights
/// are the dense items × items matrix, or each row's largest weights only (<see cref="EaseOptions.KeepPerItem"/>).
/// </summary>
public sealed class EaseModel : IRecommender, IPersistableModel, ISimilarItems
{
    public const string FileKind = "ease";
    private readonly float[]? _dense;
    private readonly CsrMatrix? _pruned;
    private readonly CsrMatrix _history;
    private readonly float[] _popularity;

    internal EaseModel(float[] weights, CsrMatrix history, float[] popularity)
    {
        _dense = weights;
        _history = history;
        _popularity = popularity;
    }

    internal EaseModel(CsrMatrix pruned, CsrMatrix history, float[] popularity)
    {
        _pruned = pruned;
        _history = history;
        _popularity = popularity;
    }

    public int UserCount => _history.RowCount;

    public int ItemCount => _popularity.Length;

    /// <summary>Weights kept per item row (ItemCount when the matrix is dense).</summary>
    public int WeightsPerItem => _pruned is null ? ItemCount : _pruned.RowLength(0);

    public string Kind => FileKind;

    /// <summary>1: the dense matrix; 2: a flag, then the dense matrix or the pruned rows.</summary>
    public int PayloadVersion => 2;

    public bool IsKnownUser(int user) => _history.RowLength(user) > 0;

    public void ScoreAll(int user, Span<float> scores)
    {
        Guard.User(user, UserCount);
        ScoreHistory(_history.RowColumns(user), scores); // a trained user is scored as their history: popularity when empty
    }

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        Guard.User(user, UserCount);
        var history = _history.RowColumns(user);
        if (_pruned is not null && !history.IsEmpty && ScatterIsCheaper(items.Length, history.Length))
        {
            // Many items: add the history's kept rows into one catalogue-long buffer and read the items from it.
            var all = System.Buffers.ArrayPool<float>.Shared.Rent(ItemCount);
            ScoreHistory(history, all);
            for (var j = 0; j < items.Length; j++)
            {
                scores[j] = all[items[j]];
            }

            System.Buffers.ArrayPool<float>.Shared.Return(all);
            return;
        }

        for (var j = 0; j < items.Length; j++)
        {
            var sum = 0f;
            foreach (var i in history)
            {
                sum += Weight(i, items[j]);
            }

            scores[j] = history.IsEmpty ? _popularity[items[j]] : sum;
        }
    }

    /// <summary>
    /// Scores every item for any history exactly as for a trained user: the sum of the weight rows of its items (the
    /// binary history row times the item–item matrix); an empty history gets popularity.
    /// </summary>
    public void ScoreHistory(ReadOnlySpan<int> history, Span<float> scores)
    {
        Guard.Buffer(scores.Length, ItemCount);
        var n = ItemCount;
        if (history.IsEmpty)
        {
            _popularity.CopyTo(scores);
            return;
        }

        scores[..n].Clear();
        foreach (var i in history)
        {
            Guard.Item(i, n);
            if (_dense is not null)
            {
                Add(scores[..n], _dense.AsSpan(i * n, n), scores[..n]);
                continue;
            }

            var columns = _pruned!.RowColumns(i);
            var values = _pruned.RowValues(i);
            for (var c = 0; c < columns.Length; c++)
            {
                scores[columns[c]] += values[c];
            }
        }
    }

    /// <summary>The items with the largest weights from this item (how strongly it predicts them).</summary>
    public (int[] Items, float[] Similarities) SimilarItems(int item, int k)
    {
        var n = ItemCount;
        Guard.Item(item, n);
        var row = new float[n];
        if (_dense is not null)
        {
            _dense.AsSpan(item * n, n).CopyTo(row);
        }
        else
        {
            row.AsSpan().Fill(float.NegativeInfinity); // an item outside the kept row is not similar at all
            var columns = _pruned!.RowColumns(item);
            var values = _pruned.RowValues(item);
            for (var c = 0; c < columns.Length; c++)
            {
                row[columns[c]] = values[c];
            }
        }

        row[item] = float.NegativeInfinity;
        var top = new int[Math.Min(k, n)];
        var similarities = new float[top.Length];
        var found = Kernels.TopK.Select(row, top.Length, top, similarities);
        return (top[..found], similarities[..found]);
    }

    /// <summary>Whether summing the kept rows over the catalogue costs less than a search in each row for each item.</summary>
    private bool ScatterIsCheaper(int items, int history) =>
        (long)items * history * (1 + (int)Math.Log2(WeightsPerItem)) > ((long)history * WeightsPerItem) + ItemCount;

    private float Weight(int from, int to)
    {
        if (_dense is not null)
        {
            return _dense[(from * ItemCount) + to];
        }

        var at = _pruned!.RowColumns(from).BinarySearch(to);
        return at >= 0 ? _pruned.RowValues(from)[at] : 0f;
    }

    public void WritePayload(ModelWriter writer)
    {
        writer.Write(_pruned is not null);
        if (_pruned is not null)
        {
            writer.Write(_pruned);
        }
        else
        {
            writer.Write(_dense!);
        }

        writer.Write(_history);
        writer.Write(_popularity);
    }

    internal static EaseModel ReadPayload(ModelReader reader, int version)
    {
        if (version is not (1 or 2))
        {
            ModelRegistry.RequireVersion(FileKind, version, 2);
        }

        var pruned = version == 2 && reader.ReadBoolean();
        var weights = pruned ? null : reader.ReadSingleArray();
        var sparse = pruned ? reader.ReadCsrMatrix() : null;
        var history = reader.ReadCsrMatrix();
        var popularity = reader.ReadSingleArray();
        var n = popularity.Length;
        reader.Require(history.ColumnCount == n, "EASE sizes disagree");
        if (sparse is not null)
        {
            reader.Require(sparse.RowCount == n && sparse.ColumnCount == n && RowsAreSorted(sparse), "EASE's kept weights are not one sorted row per item");
            return new EaseModel(sparse, history, popularity);
        }

        reader.Require(weights!.Length == (long)n * n, "EASE sizes disagree");
        return new EaseModel(weights, history, popularity);
    }

    private static bool RowsAreSorted(CsrMatrix rows)
    {
        for (var i = 0; i < rows.RowCount; i++)
        {
            var columns = rows.RowColumns(i);
            for (var c = 0; c < columns.Length; c++)
            {
                if ((uint)columns[c] >= (uint)rows.ColumnCount || (c > 0 && columns[c] <= columns[c - 1]))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
