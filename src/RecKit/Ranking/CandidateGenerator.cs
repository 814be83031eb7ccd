using RecKit.Data;
using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Ranking;

/// <summary>
/// Design note 3 §8.2's candidate generation: the union of each source's top-N for the user (item-kNN neighbours of
/// the user's items, globally popular items, genre matches, or any other model), the user's known items excluded.
/// A stack can only rank what reaches this set, so <see cref="Recall"/> measures its ceiling.
/// </summary>
public sealed class CandidateGenerator
{
    public CandidateGenerator(IReadOnlyList<(string Name, IRecommender Model, int Size)> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        CandidateSourceFlags.CheckSourceCount(sources.Count, nameof(sources));
        Sources = sources;
    }

    public IReadOnlyList<(string Name, IRecommender Model, int Size)> Sources { get; }

    /// <summary>Distinct candidates for the user, ascending by item index.</summary>
    public int[] For(int user, CsrMatrix seen, float[] buffer) => For(user, seen, buffer, out _);

    /// <summary>Distinct candidates for the user, ascending by item index, and which sources proposed each (bit s: source s).</summary>
    public int[] For(int user, CsrMatrix seen, float[] buffer, out uint[] proposedBy)
    {
        var proposed = new ProposedCandidates();
        for (var s = 0; s < Sources.Count; s++)
        {
            var (_, model, size) = Sources[s];
            var top = new int[Math.Min(size, buffer.Length)];
            var n = SourceTop(model, user, seen, buffer, top);
            foreach (var item in top.AsSpan(0, n))
            {
                proposed.Add(item, s);
            }
        }

        (var result, proposedBy) = proposed.Ascending();
        return result;
    }

    /// <summary>
    /// A source's best <c>top.Length</c> items for the user, best first, the user's known items excluded; returns how many
    /// were found. The one definition of a source's share, used here and by <see cref="CandidatePlanner"/>.
    /// </summary>
    internal static int SourceTop(IRecommender model, int user, CsrMatrix seen, float[] scores, int[] top)
    {
        model.ScoreAll(user, scores);
        foreach (var i in seen.RowColumns(user))
        {
            scores[i] = float.NegativeInfinity;
        }

        return TopK.Select(scores, top.Length, top);
    }

    /// <summary>Share of relevant test items (value ≥ threshold, or all when null) that reach the candidate sets.</summary>
    public double Recall(Interactions test, CsrMatrix seen, float? threshold)
    {
        var byUser = test.ByUser;
        var buffer = new float[test.ItemCount];
        long relevant = 0, found = 0;
        for (var u = 0; u < byUser.RowCount; u++)
        {
            var items = byUser.RowColumns(u);
            if (items.IsEmpty)
            {
                continue;
            }

            var candidates = For(u, seen, buffer);
            var values = byUser.RowValues(u);
            for (var j = 0; j < items.Length; j++)
            {
                if (threshold is { } t && values[j] < t)
                {
                    continue;
                }

                relevant++;
                found += Array.BinarySearch(candidates, items[j]) >= 0 ? 1 : 0;
            }
        }

        return relevant == 0 ? double.NaN : (double)found / relevant;
    }
}
