using RecKit.Data;
using RecKit.Models;

namespace RecKit.Ranking;

/// <summary>
/// A stack as an <see cref="IRecommender"/>: for each user the candidates get the meta model's score and every
/// other item NaN, which the one evaluator and the top-N code never rank. That keeps one evaluation protocol for
/// base models and stacks; a stack's recall is bounded by its candidate recall. Scores are computed in one batch
/// per call of <see cref="Prepare(IReadOnlyList{int})"/> (the meta model scores many rows at once) and on demand for other users.
/// </summary>
public sealed class StackRecommender(IMetaModel meta, MetaFeatures features, CandidateGenerator candidates, CsrMatrix history, int userCount, int itemCount) : IRecommender
{
    private readonly Dictionary<int, (int[] Items, float[] Scores)> _scores = [];
    private readonly Lock _gate = new();

    public string Name => meta.Name;

    public int UserCount => userCount;

    public int ItemCount => itemCount;

    public bool IsKnownUser(int user) => history.RowLength(user) > 0;

    /// <summary>Scores candidates built already (for the same features, candidates and history) in one batch: nothing is generated again.</summary>
    public void Prepare(CandidateRows built)
    {
        ArgumentNullException.ThrowIfNull(built);
        if (built.Width != features.Count)
        {
            throw new ArgumentException($"The candidate rows have {built.Width} features; the stack takes {features.Count}.", nameof(built));
        }

        var scores = built.Count == 0 ? [] : meta.Predict(built.Rows, built.Count);
        lock (_gate)
        {
            for (var j = 0; j < built.Users.Length; j++)
            {
                var (from, to) = (built.Offsets[j], built.Offsets[j + 1]);
                _scores[built.Users[j]] = (built.Items[from..to], scores[from..to]);
            }
        }
    }

    /// <summary>Scores the candidates of many users in one batch (built here on this thread).</summary>
    public void Prepare(IReadOnlyList<int> users) => Prepare(CandidateRows.Build(features, candidates, history, users, threads: 1));

    public void ScoreAll(int user, Span<float> scores)
    {
        Guard.User(user, UserCount);
        scores[..itemCount].Fill(float.NaN);
        var (items, stacked) = Get(user);
        for (var j = 0; j < items.Length; j++)
        {
            scores[items[j]] = stacked[j];
        }
    }

    public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        Guard.User(user, UserCount);
        var (candidates, stacked) = Get(user);
        for (var j = 0; j < items.Length; j++)
        {
            var at = Array.BinarySearch(candidates, items[j]);
            scores[j] = at >= 0 ? stacked[at] : float.NaN;
        }
    }

    private (int[] Items, float[] Scores) Get(int user)
    {
        lock (_gate)
        {
            if (_scores.TryGetValue(user, out var found))
            {
                return found;
            }
        }

        Prepare([user]);
        lock (_gate)
        {
            return _scores[user];
        }
    }
}
