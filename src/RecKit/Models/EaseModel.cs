using RecKit.Data;
using RecKit.Persistence;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>A fitted EASE model: a user's scores are the sum of the weight rows of the items they interacted with.</summary>
public sealed class EaseModel : IRecommender, IPersistableModel, ISimilarItems
{
    public const string FileKind = "ease";
    private readonly float[] _weights;
    private readonly CsrMatrix _history;
    private readonly float[] _popularity;

    internal EaseModel(float[] weights, CsrMatrix history, float[] popularity)
    {
        _weights = weights;
        _history = history;
        _popularity = popularity;
    }

    public int UserCount => _history.RowCount;

    public int ItemCount => _popularity.Length;

    public string Kind => FileKind;

    public int PayloadVersion => 1;

    public bool IsKnownUser(int user) => _history.RowLength(user) > 0;

    public void ScoreAll(int user, Span<float> scores)
    {
        Guard.User(user, UserCount);
        ScoreHistory(_history.RowColumns(user), scores); // a trained user is scored as their history: popularity when empty
    }

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        Guard.User(user, UserCount);
        var n = ItemCount;
        var history = _history.RowColumns(user);
        for (var j = 0; j < items.Length; j++)
        {
            var sum = 0f;
            foreach (var i in history)
            {
                sum += _weights[(i * n) + items[j]];
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
            Add(scores[..n], _weights.AsSpan(i * n, n), scores[..n]);
        }
    }

    /// <summary>The items with the largest weights from this item (how strongly it predicts them).</summary>
    public (int[] Items, float[] Similarities) SimilarItems(int item, int k)
    {
        var n = ItemCount;
        var row = _weights.AsSpan(item * n, n).ToArray();
        row[item] = float.NegativeInfinity;
        var top = new int[Math.Min(k, n)];
        var values = new float[top.Length];
        var found = Kernels.TopK.Select(row, top.Length, top, values);
        return (top[..found], values[..found]);
    }

    public void WritePayload(ModelWriter writer)
    {
        writer.Write(_weights);
        writer.Write(_history);
        writer.Write(_popularity);
    }

    internal static EaseModel ReadPayload(ModelReader reader, int version)
    {
        ModelRegistry.RequireVersion(FileKind, version, 1);
        var weights = reader.ReadSingleArray();
        var history = reader.ReadCsrMatrix();
        var popularity = reader.ReadSingleArray();
        reader.Require(weights.Length == (long)popularity.Length * popularity.Length && history.ColumnCount == popularity.Length, "EASE sizes disagree");
        return new EaseModel(weights, history, popularity);
    }
}
