using RecKit.Data;

namespace RecKit.Ranking;

/// <summary>
/// Rows for training a meta model, built the way the stack is used: per user, the candidate set (from the user's
/// known history), each candidate labelled 1 when the user rated it at or above the threshold in the held-out
/// part. Candidates the user never touched are negatives, as they are at ranking time; training only on rated
/// pairs would teach "good rating among watched" rather than "worth recommending".
/// </summary>
public sealed record StackTrainingSet(float[] Rows, float[] Labels, uint[] Groups, int Count, IReadOnlyList<string> FeatureNames)
{
    /// <summary>The training set of candidates built already: each labelled from the user's held-out interactions.</summary>
    public static StackTrainingSet Label(CandidateRows built, Interactions heldOut, float? threshold)
    {
        ArgumentNullException.ThrowIfNull(built);
        ArgumentNullException.ThrowIfNull(heldOut);
        var byUser = heldOut.ByUser;
        var labels = new float[built.Count];
        var groups = new uint[built.Count];
        for (var j = 0; j < built.Users.Length; j++)
        {
            var u = built.Users[j];
            var rated = byUser.RowColumns(u);
            var values = byUser.RowValues(u);
            var items = built.ItemsOf(j);
            for (var k = 0; k < items.Length; k++)
            {
                var at = rated.BinarySearch(items[k]);
                labels[built.Offsets[j] + k] = at >= 0 && Relevance.IsRelevant(values[at], threshold) ? 1f : 0f;
                groups[built.Offsets[j] + k] = (uint)u;
            }
        }

        return new StackTrainingSet(built.Rows, labels, groups, built.Count, built.FeatureNames);
    }

    /// <summary>
    /// The sets one after another (rows from several meta splits). A set's groups are its users; each set's groups are
    /// renumbered past the previous set's, so a user's candidates in two splits are two groups, never one.
    /// </summary>
    public static StackTrainingSet Concat(IReadOnlyList<StackTrainingSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 0)
        {
            throw new ArgumentException("at least one training set is needed", nameof(sets));
        }

        var names = sets[0].FeatureNames;
        if (sets.Any(s => !s.FeatureNames.SequenceEqual(names)))
        {
            throw new ArgumentException("the training sets have different features", nameof(sets));
        }

        var width = names.Count;
        var count = sets.Sum(s => s.Count);
        var rows = new float[(long)count * width];
        var labels = new float[count];
        var groups = new uint[count];
        var at = 0;
        uint offset = 0;
        foreach (var set in sets)
        {
            set.Rows.AsSpan(0, set.Count * width).CopyTo(rows.AsSpan(at * width));
            set.Labels.AsSpan(0, set.Count).CopyTo(labels.AsSpan(at));
            uint highest = 0;
            for (var r = 0; r < set.Count; r++)
            {
                groups[at + r] = checked(set.Groups[r] + offset);
                highest = Math.Max(highest, set.Groups[r]);
            }

            at += set.Count;
            offset = checked(offset + highest + 1);
        }

        return new StackTrainingSet(rows, labels, groups, count, names);
    }
}
