using RecKit.Data;
using RecKit.Models;

namespace RecKit.Ranking;

/// <summary>
/// Seed 003 §5's features for (user, item) pairs: one score per base model (a predicted rating for models that
/// predict ratings, the ranking score otherwise), then user n_ratings and mean rating, item n_ratings and mean
/// rating, computed on the statistics source (train_full). Scores are computed per user in one batch call. For data
/// without ratings the counts are named n_interactions, the means mean_value (mean play count, say), and the means are
/// left out when every value is the same (binary data: they would be a constant).
/// </summary>
public sealed class MetaFeatures
{
    private readonly IReadOnlyList<(string Name, IRecommender Model)> _models;
    private readonly int[] _userCount;
    private readonly float[] _userMean;
    private readonly int[] _itemCount;
    private readonly float[] _itemMean;
    private readonly bool _withMeans;

    public MetaFeatures(IReadOnlyList<(string Name, IRecommender Model)> models, Interactions statistics)
    {
        _models = models;
        _userCount = statistics.CountPerUser();
        _itemCount = statistics.CountPerItem();
        _userMean = Means(statistics.Users, statistics.Values, statistics.UserCount, _userCount);
        _itemMean = Means(statistics.Items, statistics.Values, statistics.ItemCount, _itemCount);
        var values = statistics.Values;
        _withMeans = statistics.HasRatings || (values.Length > 0 && values.ContainsAnyExcept(values[0]));
        var (count, mean) = statistics.HasRatings ? ("n_ratings", "mean_rating") : ("n_interactions", "mean_value");
        Names = _withMeans
            ? [.. models.Select(m => $"score_{m.Name}"), $"user_{count}", $"user_{mean}", $"item_{count}", $"item_{mean}"]
            : [.. models.Select(m => $"score_{m.Name}"), $"user_{count}", $"item_{count}"];
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>Writes one row of <see cref="Count"/> features per item into <paramref name="rows"/> (items × features).</summary>
    public void Build(int user, ReadOnlySpan<int> items, Span<float> rows)
    {
        var width = Count;
        Span<float> scores = items.Length <= 1024 ? stackalloc float[items.Length] : new float[items.Length];
        for (var m = 0; m < _models.Count; m++)
        {
            var model = _models[m].Model;
            if (model is IRatingPredictor { PredictsRatings: true } predictor)
            {
                for (var j = 0; j < items.Length; j++)
                {
                    scores[j] = predictor.PredictRating(user, items[j]);
                }
            }
            else
            {
                model.Score(user, items, scores);
            }

            for (var j = 0; j < items.Length; j++)
            {
                rows[(j * width) + m] = float.IsFinite(scores[j]) ? scores[j] : 0f;
            }
        }

        var baseIndex = _models.Count;
        for (var j = 0; j < items.Length; j++)
        {
            var row = rows.Slice(j * width, width);
            if (_withMeans)
            {
                row[baseIndex] = _userCount[user];
                row[baseIndex + 1] = _userMean[user];
                row[baseIndex + 2] = _itemCount[items[j]];
                row[baseIndex + 3] = _itemMean[items[j]];
            }
            else
            {
                row[baseIndex] = _userCount[user];
                row[baseIndex + 1] = _itemCount[items[j]];
            }
        }
    }

    private static float[] Means(ReadOnlySpan<int> index, ReadOnlySpan<float> values, int size, int[] counts)
    {
        var sums = new double[size];
        for (var k = 0; k < index.Length; k++)
        {
            sums[index[k]] += values[k];
        }

        var means = new float[size];
        var global = values.Length == 0 ? 0 : sums.Sum() / values.Length;
        for (var i = 0; i < size; i++)
        {
            means[i] = counts[i] > 0 ? (float)(sums[i] / counts[i]) : (float)global;
        }

        return means;
    }
}
