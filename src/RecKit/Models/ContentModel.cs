using RecKit.Data;
using RecKit.Persistence;

namespace RecKit.Models;

/// <summary>How item feature columns are weighted before profiles are built.</summary>
public enum FeatureWeighting
{
    /// <summary>Values as given (multi-hot genres).</summary>
    None,

    /// <summary>Term frequency × log(1 + items / items with the feature) (tags as counts).</summary>
    TfIdf,
}

/// <summary>Options of <see cref="ContentTrainer"/>; defaults are design note 3 §4.4's genre model.</summary>
public sealed record ContentOptions
{
    /// <summary>Items a user rated at or above this make the profile. Default 4.0.</summary>
    public float LikeThreshold { get; init; } = 4.0f;

    /// <summary>Column weighting. Default none (multi-hot genres); TF-IDF for tag counts.</summary>
    public FeatureWeighting Weighting { get; init; } = FeatureWeighting.None;
}

/// <summary>
/// Fits a <see cref="ContentModel"/>: each item is its L2-normalised feature vector; each user's profile is the
/// mean of the vectors of the items they liked (value ≥ LikeThreshold), L2-normalised. A user who liked nothing
/// gets the profile of everything they rated; a user with no history gets the profile of all liked items.
/// </summary>
public sealed class ContentTrainer(CsrMatrix itemFeatures, ContentOptions? options = null) : ITrainer<ContentModel>
{
    private readonly ContentOptions _options = options ?? new ContentOptions();

    public ContentModel Fit(Interactions train, TrainingContext? context = null)
    {
        if (itemFeatures.RowCount != train.ItemCount)
        {
            throw new ArgumentException($"The item feature matrix has {itemFeatures.RowCount} rows; the catalogue has {train.ItemCount} items.");
        }

        var items = Normalise(_options.Weighting == FeatureWeighting.TfIdf ? TfIdf(itemFeatures) : itemFeatures);
        var f = items.ColumnCount;
        var profiles = new float[train.UserCount * f];
        var known = new bool[train.UserCount];
        var global = new double[f];
        var byUser = train.ByUser;
        var sum = new double[f];
        for (var u = 0; u < train.UserCount; u++)
        {
            var rated = byUser.RowColumns(u);
            var values = byUser.RowValues(u);
            if (rated.IsEmpty)
            {
                continue;
            }

            known[u] = true;
            Array.Clear(sum);
            var liked = 0;
            for (var j = 0; j < rated.Length; j++)
            {
                if (values[j] >= _options.LikeThreshold)
                {
                    Accumulate(items, rated[j], sum);
                    Accumulate(items, rated[j], global);
                    liked++;
                }
            }

            if (liked == 0)
            {
                foreach (var i in rated)
                {
                    Accumulate(items, i, sum);
                }
            }

            WriteNormalised(sum, profiles.AsSpan(u * f, f));
        }

        var fallback = new float[f];
        WriteNormalised(global, fallback);
        context?.Report("content", 1, 1);
        return new ContentModel(items, profiles, fallback, known);
    }

    private static void Accumulate(CsrMatrix items, int item, double[] sum)
    {
        var columns = items.RowColumns(item);
        var values = items.RowValues(item);
        for (var j = 0; j < columns.Length; j++)
        {
            sum[columns[j]] += values[j];
        }
    }

    internal static void WriteNormalisedProfile(double[] sum, Span<float> target) => WriteNormalised(sum, target);

    private static void WriteNormalised(double[] sum, Span<float> target)
    {
        double norm = 0;
        foreach (var v in sum)
        {
            norm += v * v;
        }

        norm = Math.Sqrt(norm);
        for (var j = 0; j < target.Length; j++)
        {
            target[j] = norm > 0 ? (float)(sum[j] / norm) : 0f;
        }
    }

    internal static CsrMatrix TfIdf(CsrMatrix counts)
    {
        var documentFrequency = new int[counts.ColumnCount];
        foreach (var c in counts.ColumnIndices)
        {
            documentFrequency[c]++;
        }

        var values = counts.Values.ToArray();
        var columns = counts.ColumnIndices;
        for (var j = 0; j < values.Length; j++)
        {
            values[j] *= (float)Math.Log(1.0 + ((double)counts.RowCount / documentFrequency[columns[j]]));
        }

        return new CsrMatrix(counts.RowCount, counts.ColumnCount, counts.RowPointers.ToArray(), columns.ToArray(), values);
    }

    internal static CsrMatrix Normalise(CsrMatrix matrix)
    {
        var values = matrix.Values.ToArray();
        var pointers = matrix.RowPointers;
        for (var r = 0; r < matrix.RowCount; r++)
        {
            var row = values.AsSpan(pointers[r], pointers[r + 1] - pointers[r]);
            var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row));
            if (norm > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
            }
        }

        return new CsrMatrix(matrix.RowCount, matrix.ColumnCount, pointers.ToArray(), matrix.ColumnIndices.ToArray(), values);
    }
}

/// <summary>
/// Content-based scores: cosine between a user's profile and each item's feature vector (design note 3 §4.4 with
/// genres; §10.1 with TF-IDF tags). Items without features score 0. Works for items no one has rated yet.
/// </summary>
public sealed class ContentModel : IRecommender, IPersistableModel, ISimilarItems
{
    public const string FileKind = "content";
    private readonly CsrMatrix _items;
    private readonly float[] _profiles;
    private readonly float[] _fallback;
    private readonly bool[] _known;

    internal ContentModel(CsrMatrix items, float[] profiles, float[] fallback, bool[] known)
    {
        _items = items;
        _profiles = profiles;
        _fallback = fallback;
        _known = known;
    }

    public int UserCount => _known.Length;

    public int ItemCount => _items.RowCount;

    public int FeatureCount => _items.ColumnCount;

    public string Kind => FileKind;

    public int PayloadVersion => 1;

    public bool IsKnownUser(int user) => _known[user];

    /// <summary>The user's normalised profile over feature columns.</summary>
    public ReadOnlySpan<float> Profile(int user) => _known[user] ? _profiles.AsSpan(user * FeatureCount, FeatureCount) : _fallback;

    public void ScoreAll(int user, Span<float> scores)
    {
        Guard.User(user, UserCount);
        Guard.Buffer(scores.Length, ItemCount);
        var profile = Profile(user);
        for (var i = 0; i < ItemCount; i++)
        {
            scores[i] = Dot(profile, i);
        }
    }

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        Guard.User(user, UserCount);
        var profile = Profile(user);
        for (var j = 0; j < items.Length; j++)
        {
            scores[j] = Dot(profile, items[j]);
        }
    }

    /// <summary>
    /// Scores every item for any history: the profile is the normalised mean of the history's item vectors (every
    /// item counts as liked: a served history holds positive feedback only); an empty history gets the fallback profile.
    /// </summary>
    public void ScoreHistory(ReadOnlySpan<int> history, Span<float> scores)
    {
        Guard.Buffer(scores.Length, ItemCount);
        var profile = HistoryProfile(history);
        for (var i = 0; i < ItemCount; i++)
        {
            scores[i] = Dot(profile, i);
        }
    }

    /// <summary>The normalised mean of the history's item vectors (the fallback profile for an empty history).</summary>
    private float[] HistoryProfile(ReadOnlySpan<int> history)
    {
        var profile = new float[FeatureCount];
        if (history.IsEmpty)
        {
            _fallback.CopyTo(profile, 0);
            return profile;
        }

        var sum = new double[FeatureCount];
        foreach (var item in history)
        {
            Guard.Item(item, ItemCount);
            var columns = _items.RowColumns(item);
            var values = _items.RowValues(item);
            for (var j = 0; j < columns.Length; j++)
            {
                sum[columns[j]] += values[j];
            }
        }

        ContentTrainer.WriteNormalisedProfile(sum, profile);
        return profile;
    }

    /// <summary>Scores items added after training from their raw features, weighted as the training features were.</summary>
    internal INewItemScorer NewItems(FeatureWeighting weighting) => new NewItemScorer(this, weighting);

    private sealed class NewItemScorer : INewItemScorer
    {
        private readonly ContentModel _model;
        private readonly float[]? _idf;

        public NewItemScorer(ContentModel model, FeatureWeighting weighting)
        {
            _model = model;
            if (weighting == FeatureWeighting.TfIdf)
            {
                // The training items' document frequencies survive weighting and normalisation: a column's non-zeros.
                var documents = new int[model.FeatureCount];
                foreach (var c in model._items.ColumnIndices)
                {
                    documents[c]++;
                }

                _idf = Array.ConvertAll(documents, d => (float)Math.Log(1.0 + ((double)model.ItemCount / Math.Max(1, d))));
            }
        }

        public int ItemFeatureCount => _model.FeatureCount;

        public bool ScoreNewItems(int user, ReadOnlySpan<int> history, CsrMatrix items, Span<float> scores)
        {
            if (items.ColumnCount != ItemFeatureCount)
            {
                throw new ArgumentException($"New items have {items.ColumnCount} feature columns; the content model was fitted on {ItemFeatureCount}.", nameof(items));
            }

            Guard.Buffer(scores.Length, items.RowCount);
            ReadOnlySpan<float> profile = user >= 0 ? _model.Profile(user) : _model.HistoryProfile(history);
            for (var r = 0; r < items.RowCount; r++)
            {
                var columns = items.RowColumns(r);
                var values = items.RowValues(r);
                double dot = 0, norm = 0;
                for (var j = 0; j < columns.Length; j++)
                {
                    var v = values[j] * (_idf?[columns[j]] ?? 1f);
                    dot += v * profile[columns[j]];
                    norm += v * v;
                }

                scores[r] = norm > 0 ? (float)(dot / Math.Sqrt(norm)) : 0f;
            }

            return true;
        }
    }

    /// <summary>Items whose feature vectors are closest (cosine) to the item's.</summary>
    public (int[] Items, float[] Similarities) SimilarItems(int item, int k)
    {
        var dense = new float[FeatureCount];
        var columns = _items.RowColumns(item);
        var values = _items.RowValues(item);
        for (var j = 0; j < columns.Length; j++)
        {
            dense[columns[j]] = values[j];
        }

        var scores = new float[ItemCount];
        for (var i = 0; i < ItemCount; i++)
        {
            scores[i] = Dot(dense, i);
        }

        scores[item] = float.NegativeInfinity;
        var top = new int[Math.Min(k, ItemCount)];
        var sims = new float[top.Length];
        var n = Kernels.TopK.Select(scores, top.Length, top, sims);
        return (top[..n], sims[..n]);
    }

    public void WritePayload(ModelWriter writer)
    {
        writer.Write(_items);
        writer.Write(_profiles);
        writer.Write(_fallback);
        writer.Write(Array.ConvertAll(_known, k => k ? 1 : 0));
    }

    internal static ContentModel ReadPayload(ModelReader reader, int version)
    {
        ModelRegistry.RequireVersion(FileKind, version, 1);
        var items = reader.ReadCsrMatrix();
        var profiles = reader.ReadSingleArray();
        var fallback = reader.ReadSingleArray();
        var known = reader.ReadInt32Array();
        reader.Require(fallback.Length == items.ColumnCount && profiles.Length == known.Length * items.ColumnCount, "content profile sizes disagree");
        return new ContentModel(items, profiles, fallback, Array.ConvertAll(known, k => k != 0));
    }

    private float Dot(ReadOnlySpan<float> profile, int item) => _items.RowDot(item, profile);
}
