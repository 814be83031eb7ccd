using RecKit.Data;
using RecKit.Kernels;
using RecKit.Persistence;

namespace RecKit.Models;

/// <summary>
/// A trained two-tower model: tower outputs are computed once for every user and item in the maps, so scoring
/// is a dot product (and top-N for many users runs on the blocked factor kernel). Users and items without
/// training interactions are embedded from their features alone.
/// </summary>
public sealed class TwoTowerModel : IFactorModel, IPersistableModel, ISimilarItems
{
    public const string FileKind = "two-tower";
    private readonly CsrMatrix _userFeatures;
    private readonly CsrMatrix _itemFeatures;
    private readonly bool[] _known;
    private readonly bool _useIds;
    private readonly float[] _userEmbeddings;
    private readonly float[] _itemEmbeddings;
    private readonly float[] _itemBias;

    private readonly ContentChannel? _channel;

    private TwoTowerModel(TwoTowerWeights weights, CsrMatrix userFeatures, CsrMatrix itemFeatures, bool[] known, bool useIds, ContentChannel? channel = null)
    {
        _channel = channel;
        Weights = weights;
        _userFeatures = userFeatures;
        _itemFeatures = itemFeatures;
        _known = known;
        _useIds = useIds;
        var k = weights.Factors;
        _userEmbeddings = new float[userFeatures.RowCount * k];
        _itemEmbeddings = new float[itemFeatures.RowCount * k];
        _itemBias = new float[itemFeatures.RowCount];
        for (var u = 0; u < userFeatures.RowCount; u++)
        {
            weights.EmbedUser(u, userFeatures, _userEmbeddings.AsSpan(u * k, k), useIds);
        }

        for (var i = 0; i < itemFeatures.RowCount; i++)
        {
            weights.EmbedItem(i, itemFeatures, _itemEmbeddings.AsSpan(i * k, k), useIds);
            _itemBias[i] = weights.ItemBias(i, itemFeatures);
        }

        PackedItems = new PackedItemFactors(_itemEmbeddings, itemFeatures.RowCount, k, _itemBias);
    }

    public int UserCount => _known.Length;

    public int ItemCount => _itemBias.Length;

    public int Factors => Weights.Factors;

    public PackedItemFactors PackedItems { get; }

    public string Kind => FileKind;

    public int PayloadVersion => 2;

    /// <summary>The content channel's weight for items without interactions (0: none).</summary>
    public float ContentWeight => _channel?.Weight ?? 0;

    internal TwoTowerWeights Weights { get; }

    public bool IsKnownUser(int user) => _known[user];

    public bool TryGetUserVector(int user, Span<float> vector, out float offset)
    {
        Guard.User(user, UserCount);
        offset = 0;
        if (_channel is { Weight: > 0, ColdItems.Length: > 0 })
        {
            return false; // cold items take the content channel too: callers score with ScoreAll
        }

        _userEmbeddings.AsSpan(user * Factors, Factors).CopyTo(vector);
        return true;
    }

    public void ScoreAll(int user, Span<float> scores)
    {
        Guard.User(user, UserCount);
        Guard.Buffer(scores.Length, ItemCount);
        FactorScoring.ScoreAll(_userEmbeddings.AsSpan(user * Factors, Factors), PackedItems, scores);
        _channel?.Blend(user, scores);
    }

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        Guard.User(user, UserCount);
        var eu = _userEmbeddings.AsSpan(user * Factors, Factors);
        if (_channel is { Weight: > 0 } channel && items.ContainsAny(channel.ColdItems))
        {
            // A new item's blended score depends on every new item's: score them all, then pick.
            var all = System.Buffers.ArrayPool<float>.Shared.Rent(ItemCount);
            try
            {
                ScoreAll(user, all);
                for (var j = 0; j < items.Length; j++)
                {
                    scores[j] = all[items[j]];
                }
            }
            finally
            {
                System.Buffers.ArrayPool<float>.Shared.Return(all);
            }

            return;
        }

        for (var j = 0; j < items.Length; j++)
        {
            scores[j] = ItemScore(eu, items[j]);
        }
    }

    /// <summary>Items whose tower outputs are closest by cosine.</summary>
    public (int[] Items, float[] Similarities) SimilarItems(int item, int k) => DenseCosine.MostSimilar(_itemEmbeddings, Factors, item, k);

    public void WritePayload(ModelWriter writer)
    {
        writer.Write(_useIds);
        writer.Write(Array.ConvertAll(_known, k => k ? 1 : 0));
        writer.Write(_userFeatures);
        writer.Write(_itemFeatures);
        Weights.Write(writer);
        writer.Write(_channel is not null);
        _channel?.Write(writer);
    }

    internal static TwoTowerModel Create(TwoTowerWeights weights, CsrMatrix userFeatures, CsrMatrix itemFeatures, bool[] known, bool useIds, ContentChannel? channel = null) =>
        new(weights, userFeatures, itemFeatures, known, useIds, channel);

    /// <summary>The same towers with another content channel (null: none).</summary>
    internal TwoTowerModel WithChannel(ContentChannel? channel) => new(Weights, _userFeatures, _itemFeatures, _known, _useIds, channel);

    internal static TwoTowerModel ReadPayload(ModelReader reader, int version)
    {
        if (version is not (1 or 2))
        {
            ModelRegistry.RequireVersion(FileKind, version, 2); // version 1: written before the content channel
        }
        var useIds = reader.ReadBoolean();
        var known = Array.ConvertAll(reader.ReadInt32Array(), k => k != 0);
        var userFeatures = reader.ReadCsrMatrix();
        var itemFeatures = reader.ReadCsrMatrix();
        var weights = TwoTowerWeights.Read(reader);
        var k = weights.Factors;
        reader.Require(
            userFeatures.RowCount == known.Length && weights.UserIds.Length == known.Length * k && weights.ItemIds.Length == itemFeatures.RowCount * k
            && weights.UserFeatureEmbeddings.Length == userFeatures.ColumnCount * k && weights.ItemFeatureEmbeddings.Length == itemFeatures.ColumnCount * k,
            "two-tower sizes disagree with the feature matrices");
        var channel = version >= 2 && reader.ReadBoolean() ? ContentChannel.Read(reader) : null;
        reader.Require(channel is null || channel.ColdItems.ToArray().All(i => i < itemFeatures.RowCount), "content channel items outside the catalogue");
        return new TwoTowerModel(weights, userFeatures, itemFeatures, known, useIds, channel);
    }

    /// <summary>Scores items added after training: the item tower on their features alone (as for an item without interactions), then the content channel.</summary>
    internal INewItemScorer NewItems(bool normalizeFeatures) => new NewItemScorer(this, normalizeFeatures);

    private sealed class NewItemScorer(TwoTowerModel model, bool normalize) : INewItemScorer
    {
        public int ItemFeatureCount => model._itemFeatures.ColumnCount;

        public bool ScoreNewItems(int user, ReadOnlySpan<int> history, CsrMatrix items, Span<float> scores)
        {
            if (items.ColumnCount != ItemFeatureCount)
            {
                throw new ArgumentException($"New items have {items.ColumnCount} feature columns; the two-tower was fitted on {ItemFeatureCount}.", nameof(items));
            }

            if (user < 0)
            {
                return false; // the towers serve the users they embedded
            }

            Guard.User(user, model.UserCount);
            Guard.Buffer(scores.Length, items.RowCount);
            var k = model.Factors;
            var eu = model._userEmbeddings.AsSpan(user * k, k);
            var rows = normalize ? TwoTowerTrainer.RowsSummingToOne(items) : items;
            var embedding = new float[k];
            for (var r = 0; r < rows.RowCount; r++)
            {
                model.Weights.EmbedItem(r, rows, embedding, useIds: false);
                scores[r] = System.Numerics.Tensors.TensorPrimitives.Dot(eu, embedding) + model.Weights.ItemBias(r, rows, useIds: false);
            }

            if (model._channel is { Weight: > 0 } channel)
            {
                var cold = channel.ColdItems;
                var coldScores = new float[cold.Length];
                for (var c = 0; c < cold.Length; c++)
                {
                    coldScores[c] = model.ItemScore(eu, cold[c]);
                }

                channel.BlendNew(user, coldScores, items, scores[..items.RowCount]);
            }

            return true;
        }
    }

    private float ItemScore(ReadOnlySpan<float> eu, int item) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(eu, _itemEmbeddings.AsSpan(item * Factors, Factors)) + _itemBias[item];
}
