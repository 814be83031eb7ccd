using RecKit.Data;
using RecKit.Persistence;

namespace RecKit.Models;

/// <summary>Options of <see cref="PopularityTrainer"/>.</summary>
public sealed record PopularityOptions
{
    /// <summary>Count only interactions with value ≥ this (e.g. 4.0 for "liked"); null counts every interaction. Default null.</summary>
    public float? MinValue { get; init; }
}

/// <summary>Fits <see cref="PopularityModel"/>: counts interactions per item.</summary>
public sealed class PopularityTrainer(PopularityOptions? options = null) : ITrainer<PopularityModel>
{
    private readonly PopularityOptions _options = options ?? new PopularityOptions();

    public PopularityModel Fit(Interactions train, TrainingContext? context = null)
    {
        var counts = new float[train.ItemCount];
        var sums = new double[train.ItemCount];
        var n = new int[train.ItemCount];
        var items = train.Items;
        var values = train.Values;
        double total = 0;
        for (var k = 0; k < train.Count; k++)
        {
            if (_options.MinValue is not { } min || values[k] >= min)
            {
                counts[items[k]]++;
            }

            sums[items[k]] += values[k];
            n[items[k]]++;
            total += values[k];
        }

        var globalMean = train.Count > 0 ? (float)(total / train.Count) : 0f;
        var means = new float[train.ItemCount];
        for (var i = 0; i < means.Length; i++)
        {
            means[i] = n[i] > 0 ? (float)(sums[i] / n[i]) : globalMean;
        }

        var known = train.CountPerUser().Select(c => c > 0).ToArray();
        return new PopularityModel(known, counts, means, globalMean);
    }
}

/// <summary>
/// Ranks every user's items by how many training interactions they have. As a rating predictor it gives
/// the item's mean training value (the global mean for items never seen).
/// </summary>
public sealed class PopularityModel : IRecommender, IRatingPredictor, IPersistableModel
{
    public const string FileKind = "popularity";
    private readonly float[] _counts;
    private readonly float[] _meanValue;
    private readonly float _globalMean;
    private readonly bool[] _knownUser;

    internal PopularityModel(bool[] knownUser, float[] counts, float[] meanValue, float globalMean)
    {
        _knownUser = knownUser;
        _counts = counts;
        _meanValue = meanValue;
        _globalMean = globalMean;
    }

    public int UserCount => _knownUser.Length;

    public int ItemCount => _counts.Length;

    public string Kind => FileKind;

    public int PayloadVersion => 1;

    /// <summary>Training interactions (or positives) per item.</summary>
    public ReadOnlySpan<float> Counts => _counts;

    /// <summary>True when the user has training interactions (only their seen items change what they are shown).</summary>
    public bool IsKnownUser(int user) => _knownUser[user];

    public void ScoreAll(int user, Span<float> scores)
    {
        Guard.User(user, UserCount);
        _counts.CopyTo(scores);
    }

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        Guard.User(user, UserCount);
        for (var j = 0; j < items.Length; j++)
        {
            scores[j] = _counts[items[j]];
        }
    }

    /// <summary>Every item, most interactions first (ties: the lower index), sorted once on first use.</summary>
    private int[] Order => _order ??= SortOrder();

    private int[]? _order;

    private int[] SortOrder()
    {
        var order = new int[_counts.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => _counts[a] != _counts[b] ? _counts[b].CompareTo(_counts[a]) : a.CompareTo(b));
        return order;
    }

    /// <summary>
    /// The <paramref name="k"/> most popular items without <paramref name="excluded"/> (ascending) and those
    /// <paramref name="allow"/> refuses, best first: what a top-k over <see cref="ScoreAll"/>'s masked scores gives, by a
    /// walk down the sorted order instead of a pass over the catalogue.
    /// </summary>
    public (int[] Items, float[] Scores) Top(int k, ReadOnlySpan<int> excluded, Func<int, bool>? allow)
    {
        var items = new List<int>(Math.Max(0, Math.Min(k, _counts.Length)));
        foreach (var item in Order)
        {
            if (items.Count >= k)
            {
                break;
            }

            if (excluded.BinarySearch(item) < 0 && (allow is null || allow(item)))
            {
                items.Add(item);
            }
        }

        var top = items.ToArray();
        return (top, Array.ConvertAll(top, i => _counts[i]));
    }

    public float PredictRating(int user, int item) => (uint)item < (uint)_meanValue.Length ? _meanValue[item] : _globalMean;

    public void WritePayload(ModelWriter writer)
    {
        writer.Write(Array.ConvertAll(_knownUser, k => k ? 1 : 0));
        writer.Write(_globalMean);
        writer.Write(_counts);
        writer.Write(_meanValue);
    }

    internal static PopularityModel ReadPayload(ModelReader reader, int version)
    {
        ModelRegistry.RequireVersion(FileKind, version, 1);
        var known = reader.ReadInt32Array();
        var globalMean = reader.ReadSingle();
        var counts = reader.ReadSingleArray();
        var means = reader.ReadSingleArray();
        reader.Require(counts.Length == means.Length, "popularity arrays disagree in length");
        return new PopularityModel(Array.ConvertAll(known, k => k != 0), counts, means, globalMean);
    }
}
