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
        var scores = (buffer ?? new float[model.ItemCount]).AsSpan(0, model.ItemCount);
        model.ScoreAll(user, scores);
        return SelectTop(user, scores, n, seen);
    }

    /// <summary>Top-N for each listed user (all users when null), in parallel; the result is in the order of <paramref name="users"/>.</summary>
    public static UserRecommendations[] ForUsers(IRecommender model, int n, CsrMatrix? seen, IReadOnlyList<int>? users = null, int? threads = null, CancellationToken cancellation = default)
    {
        users ??= Enumerable.Range(0, model.UserCount).ToArray();
        var result = new UserRecommendations[users.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount, CancellationToken = cancellation };
        if (model is IFactorModel factors)
        {
            ForUsersBlocked(factors, n, seen, users, result, options);
            return result;
        }

        WorkerLoop.For(users.Count, options, () => new float[model.ItemCount], (slot, buffer) => result[slot] = ForUser(model, users[slot], n, seen, buffer));
        return result;
    }

    /// <summary>Blocks of users share each item tile while it sits in cache; top-K per user follows.</summary>
    private static void ForUsersBlocked(IFactorModel model, int n, CsrMatrix? seen, IReadOnlyList<int> users, UserRecommendations[] result, ParallelOptions options)
    {
        const int block = 64;
        var k = model.Factors;
        var items = model.ItemCount;
        var blocks = (users.Count + block - 1) / block;
        WorkerLoop.For(
            blocks,
            options,
            () => (Vectors: new float[block * k], Scores: new float[block * items], Offsets: new float[block], Slots: new int[block]),
            (b, buffers) =>
            {
                var rows = 0;
                for (var slot = b * block; slot < Math.Min(users.Count, (b + 1) * block); slot++)
                {
                    var user = users[slot];
                    if (model.TryGetUserVector(user, buffers.Vectors.AsSpan(rows * k, k), out buffers.Offsets[rows]))
                    {
                        buffers.Slots[rows++] = slot;
                    }
                    else
                    {
                        result[slot] = ForUser(model, user, n, seen, buffers.Scores);
                    }
                }

                FactorScoring.ScoreBlock(buffers.Vectors.AsSpan(0, rows * k), model.PackedItems, buffers.Scores);
                for (var r = 0; r < rows; r++)
                {
                    var slot = buffers.Slots[r];
                    var scores = buffers.Scores.AsSpan(r * items, items);
                    if (buffers.Offsets[r] != 0)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(scores, buffers.Offsets[r], scores);
                    }

                    result[slot] = SelectTop(users[slot], scores, n, seen);
                }
            });
    }

    private static UserRecommendations SelectTop(int user, Span<float> scores, int n, CsrMatrix? seen) =>
        SelectTop(user, scores, n, seen is not null && user < seen.RowCount ? seen.RowColumns(user) : default);

    /// <summary>
    /// The top <paramref name="n"/> of a full score vector with the given items excluded — for a user outside the
    /// model (a folded-in history, <paramref name="user"/> −1) as for one inside it (their seen items).
    /// </summary>
    public static UserRecommendations SelectTop(int user, Span<float> scores, int n, ReadOnlySpan<int> exclude)
    {
        foreach (var i in exclude)
        {
            scores[i] = float.NegativeInfinity;
        }

        var items = new int[Math.Min(n, scores.Length)];
        var top = new float[items.Length];
        var count = TopK.Select(scores, items.Length, items, top);
        return count == items.Length ? new UserRecommendations(user, items, top) : new UserRecommendations(user, items[..count], top[..count]);
    }
}
