using System.Buffers;

namespace RecKit.Ranking;

/// <summary>
/// Features of a candidate relative to the user's other candidates, from each base model's score (seed 003 §10): the
/// score standardised over the user's candidates (z_NAME) and its rank among them as ln(1 + rank) (rank_NAME, 0 for
/// the model's favourite). Raw scores drift in scale between the base models the meta model learned from (fitted on
/// base_train) and the ones it ranks with (refitted on more data), and differ in scale from user to user; positions
/// within one user's candidates do neither. Written after the raw scores and the statistics, offline and live alike.
/// </summary>
public static class PerUserFeatures
{
    /// <summary>The names of the derived columns for these models, in the order <see cref="Write"/> fills them.</summary>
    public static IEnumerable<string> Names(IEnumerable<string> models)
    {
        var list = models.ToList();
        return [.. list.Select(m => $"z_{m}"), .. list.Select(m => $"rank_{m}")];
    }

    /// <summary>Whether a stack's feature names include the derived columns (bundles written before them do not).</summary>
    public static bool In(IReadOnlyList<string> featureNames) => featureNames.Any(n => n.StartsWith("z_", StringComparison.Ordinal));

    /// <summary>
    /// Fills the derived columns of <paramref name="count"/> candidate rows of <paramref name="width"/> features: the raw
    /// scores are columns 0..<paramref name="models"/>, the derived ones start at <paramref name="offset"/> (z, then rank).
    /// </summary>
    public static void Write(Span<float> rows, int count, int width, int models, int offset)
    {
        if (count == 0)
        {
            return;
        }

        // Pooled buffers and a struct comparer: nothing is allocated per request when serving.
        var scores = ArrayPool<float>.Shared.Rent(count);
        var order = ArrayPool<int>.Shared.Rent(count);
        try
        {
            for (var m = 0; m < models; m++)
            {
                for (var j = 0; j < count; j++)
                {
                    scores[j] = rows[(j * width) + m];
                    order[j] = j;
                }

                var (mean, spread) = ScoreMoments.Of(scores.AsSpan(0, count));
                for (var j = 0; j < count; j++)
                {
                    rows[(j * width) + offset + m] = spread > 1e-12 ? (float)((scores[j] - mean) / spread) : 0f;
                }

                order.AsSpan(0, count).Sort(new Descending(scores));
                for (var rank = 0; rank < count; rank++)
                {
                    rows[(order[rank] * width) + offset + models + m] = MathF.Log(1 + rank);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>Candidates by descending score; equal scores keep candidate order, as every ranking here does.</summary>
    private readonly struct Descending(float[] scores) : IComparer<int>
    {
        public int Compare(int a, int b) => scores[b].CompareTo(scores[a]) is var c && c != 0 ? c : a.CompareTo(b);
    }
}
