using RecKit.Data;

namespace RecKit.Serving;

/// <summary>
/// The user and item statistics the stack's features end with (<see cref="Ranking.MetaFeatures"/>), computed from the
/// bundle's interactions (users × items with values) as the offline features were; a live user's are computed from
/// their live history.
/// </summary>
public sealed class ServingStatistics
{
    private readonly int[] _itemCount;
    private readonly float[] _itemMean;
    private readonly float _globalMean;

    public ServingStatistics(CsrMatrix interactions, bool hasRatings)
    {
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

        _globalMean = values.Length == 0 ? 0 : (float)(total / values.Length);
        _itemMean = new float[sums.Length];
        for (var i = 0; i < sums.Length; i++)
        {
            _itemMean[i] = _itemCount[i] > 0 ? (float)(sums[i] / _itemCount[i]) : _globalMean;
        }

        WithMeans = hasRatings || (values.Length > 0 && values.ContainsAnyExcept(values[0]));
    }

    /// <summary>Whether the features carry the means (false when every value is the same).</summary>
    public bool WithMeans { get; }

    /// <summary>How many statistics columns follow the model scores.</summary>
    public int Count => WithMeans ? 4 : 2;

    public int ItemInteractions(int item) => _itemCount[item];

    /// <summary>Writes the statistics columns for one (user, item) pair.</summary>
    public void Write(LiveUser user, int item, Span<float> columns)
    {
        if (WithMeans)
        {
            columns[0] = user.History.Length;
            columns[1] = user.History.Length == 0 ? _globalMean : Mean(user.Weights);
            columns[2] = _itemCount[item];
            columns[3] = _itemMean[item];
        }
        else
        {
            columns[0] = user.History.Length;
            columns[1] = _itemCount[item];
        }
    }

    private static float Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return (float)(sum / values.Length);
    }
}
