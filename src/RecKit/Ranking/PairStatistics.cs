using RecKit.Data;

namespace RecKit.Ranking;

/// <summary>
/// The statistics columns that end every stack feature row (design note 3 §5): the user's interaction count and mean
/// value, the item's count and mean value, from a users × items matrix of interactions (the base part for meta rows and train_full for test rows offline, the
/// bundle's interactions when serving). The means are left out when every value is the same (binary data); a user or
/// item with no interactions gets the global mean. Offline (<see cref="MetaFeatures"/>) and served (the stack ranker,
/// with a live user's own count and mean) rows use this one layout.
/// </summary>
public sealed class PairStatistics
{
    private readonly CsrMatrix _interactions;
    private readonly int[] _itemCount;
    private readonly float[] _itemMean;
    private readonly float _countScale;

    /// <param name="countScale">Multiplies the user and item counts written: meta rows built from a part of train_full
    /// pass train_full's size over the part's, so that a count means the same in the rows the meta model learns from
    /// and in the ones it ranks (built from train_full, or all the data when serving).</param>
    public PairStatistics(CsrMatrix interactions, bool hasRatings, double countScale = 1)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        if (!(countScale > 0) || !double.IsFinite(countScale))
        {
            throw new ArgumentOutOfRangeException(nameof(countScale), countScale, "The count scale must be a positive number.");
        }

        _countScale = (float)countScale;
        _interactions = interactions;
        var values = interactions.Values;
        _itemCount = new int[interactions.ColumnCount];
        var sums = new double[interactions.ColumnCount];
        var columns = interactions.ColumnIndices;
        for (var k = 0; k < columns.Length; k++)
        {
            _itemCount[columns[k]]++;
            sums[columns[k]] += values[k];
        }

        double total = 0;
        foreach (var v in values)
        {
            total += v;
        }

        GlobalMean = values.Length == 0 ? 0 : (float)(total / values.Length);
        _itemMean = new float[sums.Length];
        for (var i = 0; i < sums.Length; i++)
        {
            _itemMean[i] = _itemCount[i] > 0 ? (float)(sums[i] / _itemCount[i]) : GlobalMean;
        }

        WithMeans = hasRatings || (values.Length > 0 && values.ContainsAnyExcept(values[0]));
        var (count, mean) = hasRatings ? ("n_ratings", "mean_rating") : ("n_interactions", "mean_value");
        Names = WithMeans ? [$"user_{count}", $"user_{mean}", $"item_{count}", $"item_{mean}"] : [$"user_{count}", $"item_{count}"];
    }

    /// <summary>Whether the rows carry the means (false when every value is the same).</summary>
    public bool WithMeans { get; }

    /// <summary>The columns' names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>How many statistics columns follow the model scores.</summary>
    public int Count => Names.Count;

    /// <summary>The mean of every value: what a user or item without interactions gets.</summary>
    public float GlobalMean { get; }

    /// <summary>A user's interaction count and mean value in the matrix.</summary>
    public (int Count, float Mean) User(int user) => Summarise(_interactions.RowValues(user));

    /// <summary>The count and mean of any list of values (a live user's history weights).</summary>
    public (int Count, float Mean) Summarise(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return (values.Length, values.IsEmpty ? GlobalMean : (float)(sum / values.Length));
    }

    /// <summary>Writes the statistics columns for the user and an item with no interactions (one added after training): count 0, the global mean.</summary>
    public void WriteNewItem((int Count, float Mean) user, Span<float> columns)
    {
        columns[0] = user.Count * _countScale;
        if (WithMeans)
        {
            columns[1] = user.Mean;
            columns[2] = 0;
            columns[3] = GlobalMean;
        }
        else
        {
            columns[1] = 0;
        }
    }

    /// <summary>Writes the statistics columns for one (user, item) pair.</summary>
    public void Write((int Count, float Mean) user, int item, Span<float> columns)
    {
        if (WithMeans)
        {
            columns[0] = user.Count * _countScale;
            columns[1] = user.Mean;
            columns[2] = _itemCount[item] * _countScale;
            columns[3] = _itemMean[item];
        }
        else
        {
            columns[0] = user.Count * _countScale;
            columns[1] = _itemCount[item] * _countScale;
        }
    }
}
