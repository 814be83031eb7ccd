using RecKit.Data;
using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Ranking;

/// <summary>One user's top-N list, best first.</summary>
public sealed record UserRecommendations(int User, int[] Items, float[] Scores);

/// <summary>
/// Top-N lists from any model: full-catalogue scores, the user's seen items excluded, partial selection by
/// the one <see cref="TopK"/> kernel. All users run in parallel with one score buffer per thread.
/// </summary>
public static class Recommendations
{
    public static UserRecommendations ForUser(IRecommender model, int user, int n, CsrMatrix? seen, float[]? buffer = null)
    {
        var scores = buffer ?? new float[model.ItemCount];
        model.ScoreAll(user, scores);
        if (seen is not null && user < seen.RowCount)
        {
            foreach (var i in seen.RowColumns(user))
            {
                scores[i] = float.NegativeInfinity;
            }
        }

        var items = new int[Math.Min(n, model.ItemCount)];
        var top = new float[items.Length];
        var count = TopK.Select(scores, items.Length, items, top);
        return new UserRecommendations(user, items[..count], top[..count]);
    }

    /// <summary>Top-N for each listed user (all users when null), in parallel; the result is in the order of <paramref name="users"/>.</summary>
    public static UserRecommendations[] ForUsers(IRecommender model, int n, CsrMatrix? seen, IReadOnlyList<int>? users = null, int? threads = null, CancellationToken cancellation = default)
    {
        users ??= Enumerable.Range(0, model.UserCount).ToArray();
        var result = new UserRecommendations[users.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount, CancellationToken = cancellation };
        Parallel.For(
            0,
            users.Count,
            options,
            () => new float[model.ItemCount],
            (slot, _, buffer) =>
            {
                result[slot] = ForUser(model, users[slot], n, seen, buffer);
                return buffer;
            },
            _ => { });
        return result;
    }
}
