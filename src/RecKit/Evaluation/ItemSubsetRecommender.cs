using RecKit.Models;

namespace RecKit.Evaluation;

/// <summary>A model restricted to a subset of items: every other item scores NaN and is never ranked (e.g. only cold items).</summary>
public sealed class ItemSubsetRecommender(IRecommender model, IReadOnlySet<int> allowed) : IRecommender
{
    public int UserCount => model.UserCount;

    public int ItemCount => model.ItemCount;

    public bool IsKnownUser(int user) => model.IsKnownUser(user);

    public void ScoreAll(int user, Span<float> scores)
    {
        model.ScoreAll(user, scores);
        for (var i = 0; i < ItemCount; i++)
        {
            if (!allowed.Contains(i))
            {
                scores[i] = float.NaN;
            }
        }
    }

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        model.Score(user, items, scores);
        for (var j = 0; j < items.Length; j++)
        {
            if (!allowed.Contains(items[j]))
            {
                scores[j] = float.NaN;
            }
        }
    }
}
