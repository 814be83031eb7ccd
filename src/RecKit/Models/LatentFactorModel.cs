using RecKit.Kernels;
using RecKit.Persistence;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>
/// What matrix factorisation trainers return (explicit SGD, SVD++, BPR, ALS): score = offset_u + x_u·y_i + b_i.
/// Users without training data (cold start) get <c>ColdScores</c> — the trainer's non-personalised fallback
/// (μ + b_i for explicit MF, item popularity for implicit models). Trainers differ; the fitted shape is one.
/// </summary>
public sealed class LatentFactorModel : IFactorModel, IRatingPredictor, IPersistableModel, ISimilarItems, IColdUserScores
{
    public const string FileKind = "latent-factors";
    private readonly float[] _userFactors;
    private readonly float[] _itemFactors;
    private readonly float[] _itemBias;
    private readonly float[] _userOffset;
    private readonly float[] _coldScores;
    private readonly bool[] _known;

    /// <param name="algorithm">Which trainer made it ("mf", "svd++", "bpr", "als").</param>
    /// <param name="ratingRange">The training rating range when the model predicts ratings; null for implicit models.</param>
    public LatentFactorModel(string algorithm, int factors, float[] userFactors, float[] itemFactors, float[] itemBias, float[] userOffset, float[] coldScores, bool[] known, (float Min, float Max)? ratingRange)
    {
        var users = known.Length;
        var items = itemBias.Length;
        if (factors < 1 || userFactors.Length != users * factors || itemFactors.Length != items * factors || userOffset.Length != users || coldScores.Length != items)
        {
            throw new ArgumentException("Latent factor arrays do not match the user, item and factor counts.");
        }

        Algorithm = algorithm;
        Factors = factors;
        _userFactors = userFactors;
        _itemFactors = itemFactors;
        _itemBias = itemBias;
        _userOffset = userOffset;
        _coldScores = coldScores;
        _known = known;
        RatingRange = ratingRange;
        PackedItems = new PackedItemFactors(itemFactors, items, factors, itemBias);
    }

    public string Algorithm { get; }

    public int Factors { get; }

    public int UserCount => _known.Length;

    public int ItemCount => _itemBias.Length;

    public (float Min, float Max)? RatingRange { get; }

    public bool PredictsRatings => RatingRange is not null;

    public PackedItemFactors PackedItems { get; }

    public string Kind => FileKind;

    public int PayloadVersion => 1;

    public ReadOnlySpan<float> UserFactors(int user) => _userFactors.AsSpan(user * Factors, Factors);

    public ReadOnlySpan<float> ItemFactors(int item) => _itemFactors.AsSpan(item * Factors, Factors);

    public ReadOnlySpan<float> ItemBiases => _itemBias;

    /// <summary>User factors, row-major (users × factors).</summary>
    public ReadOnlySpan<float> AllUserFactors => _userFactors;

    /// <summary>Item factors, row-major (items × factors).</summary>
    public ReadOnlySpan<float> AllItemFactors => _itemFactors;

    public ReadOnlySpan<float> ColdScores => _coldScores;

    public void ScoreUnknownUser(Span<float> scores) => _coldScores.CopyTo(scores);

    public bool IsKnownUser(int user) => _known[user];

    public bool TryGetUserVector(int user, Span<float> vector, out float offset)
    {
        Guard.User(user, UserCount);
        offset = _userOffset[user];
        UserFactors(user).CopyTo(vector);
        return _known[user];
    }

    public void ScoreAll(int user, Span<float> scores)
    {
        Guard.User(user, UserCount);
        Guard.Buffer(scores.Length, ItemCount);
        if (!_known[user])
        {
            _coldScores.CopyTo(scores);
            return;
        }

        FactorScoring.ScoreAll(UserFactors(user), PackedItems, scores);
        Add(scores[..ItemCount], _userOffset[user], scores[..ItemCount]);
    }

    /// <summary>Scores every item for a user vector that is not in the model (a folded-in new user).</summary>
    public void ScoreVector(ReadOnlySpan<float> userVector, Span<float> scores) => FactorScoring.ScoreAll(userVector, PackedItems, scores);

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        Guard.User(user, UserCount);
        for (var j = 0; j < items.Length; j++)
        {
            scores[j] = _known[user] ? Raw(user, items[j]) : _coldScores[items[j]];
        }
    }

    public float PredictRating(int user, int item)
    {
        var raw = _known[user] ? Raw(user, item) : _coldScores[item];
        return RatingRange is { } range ? Math.Clamp(raw, range.Min, range.Max) : raw;
    }

    /// <summary>Items whose factor vectors point the same way (cosine).</summary>
    public (int[] Items, float[] Similarities) SimilarItems(int item, int k) => DenseCosine.MostSimilar(_itemFactors, Factors, item, k);

    public void WritePayload(ModelWriter writer)
    {
        writer.Write(Algorithm);
        writer.Write(Factors);
        writer.Write(RatingRange is not null);
        writer.Write(RatingRange?.Min ?? 0);
        writer.Write(RatingRange?.Max ?? 0);
        writer.Write(_userFactors);
        writer.Write(_itemFactors);
        writer.Write(_itemBias);
        writer.Write(_userOffset);
        writer.Write(_coldScores);
        writer.Write(Array.ConvertAll(_known, k => k ? 1 : 0));
    }

    internal static LatentFactorModel ReadPayload(ModelReader reader, int version)
    {
        ModelRegistry.RequireVersion(FileKind, version, 1);
        var algorithm = reader.ReadString();
        var factors = reader.ReadInt32();
        var hasRange = reader.ReadBoolean();
        var min = reader.ReadSingle();
        var max = reader.ReadSingle();
        var users = reader.ReadSingleArray();
        var items = reader.ReadSingleArray();
        var bias = reader.ReadSingleArray();
        var offset = reader.ReadSingleArray();
        var cold = reader.ReadSingleArray();
        var known = Array.ConvertAll(reader.ReadInt32Array(), k => k != 0);
        reader.Require(factors > 0 && users.Length == known.Length * factors && items.Length == bias.Length * factors && offset.Length == known.Length && cold.Length == bias.Length, "latent factor sizes disagree");
        return new LatentFactorModel(algorithm, factors, users, items, bias, offset, cold, known, hasRange ? (min, max) : null);
    }

    private float Raw(int user, int item) => _userOffset[user] + _itemBias[item] + Dot(UserFactors(user), ItemFactors(item));
}
