namespace RecKit.Serving;

/// <summary>How rankers take in items added since the bundle: one model's scores for them, and the merge into a top k.</summary>
internal static class NewItemRanking
{
    /// <summary>
    /// The scorer's scores for every added row (−∞ for rows the request may not return and for NaN), or null when
    /// the scorer cannot score new items or this user. Allocates one array of the additions' size.
    /// </summary>
    public static float[]? Score(LiveScorer scorer, LiveUser user, NewCandidates added)
    {
        if (!scorer.ScoresNewItems || added.Count == 0)
        {
            return null;
        }

        var scores = new float[added.Count];
        if (!scorer.ScoreNewItems(user, added.Features, scores))
        {
            return null;
        }

        for (var r = 0; r < scores.Length; r++)
        {
            if (float.IsNaN(scores[r]) || !added.Allows(r))
            {
                scores[r] = float.NegativeInfinity;
            }
        }

        return scores;
    }

    /// <summary>The best k of the ranked bundle items and the scored added rows (index Offset + row), best first.</summary>
    public static RankedItems Merge(RankedItems ranked, float[] scores, int offset, int k)
    {
        var (rows, values) = ScoreBuffers.Top(scores, k);
        if (rows.Length == 0)
        {
            return ranked;
        }

        var items = new List<(int Item, float Score)>(ranked.Items.Length + rows.Length);
        for (var j = 0; j < ranked.Items.Length; j++)
        {
            items.Add((ranked.Items[j], ranked.Scores[j]));
        }

        for (var j = 0; j < rows.Length; j++)
        {
            items.Add((offset + rows[j], values[j]));
        }

        var top = items.OrderByDescending(p => p.Score).Take(k).ToArray(); // stable: a bundle item wins a tie
        return ranked with { Items = Array.ConvertAll(top, p => p.Item), Scores = Array.ConvertAll(top, p => p.Score) };
    }
}
