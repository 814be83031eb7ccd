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
    public static StackTrainingSet Build(MetaFeatures features, CandidateGenerator candidates, CsrMatrix history, Interactions heldOut, float? threshold)
    {
        var width = features.Count;
        var rows = new List<float>();
        var labels = new List<float>();
        var groups = new List<uint>();
        var byUser = heldOut.ByUser;
        var buffer = new float[heldOut.ItemCount];
        for (var u = 0; u < byUser.RowCount; u++)
        {
            if (byUser.RowLength(u) == 0)
            {
                continue;
            }

            var items = candidates.For(u, history, buffer);
            var block = new float[items.Length * width];
            features.Build(u, items, block);
            rows.AddRange(block);
            foreach (var i in items)
            {
                var at = byUser.RowColumns(u).BinarySearch(i);
                labels.Add(at >= 0 && Relevance.IsRelevant(byUser.RowValues(u)[at], threshold) ? 1f : 0f);
                groups.Add((uint)u);
            }
        }

        return new StackTrainingSet(rows.ToArray(), labels.ToArray(), groups.ToArray(), labels.Count, features.Names);
    }
}
