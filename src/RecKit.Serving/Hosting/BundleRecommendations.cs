using RecKit.Ranking;

namespace RecKit.Serving;

/// <summary>
/// Top-N for every user of the bundle (those known only by their features included), from a loaded bundle's variant:
/// exactly what the service would answer.
/// </summary>
public static class BundleRecommendations
{
    private const int ProgressEvery = 512;

    /// <param name="progress">Told every few hundred users how many have their list ("users recommended").</param>
    public static UserRecommendations[] ForAllUsers(ServingBundle bundle, string variant, int n, IProgress<RecKit.Models.TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var ranker = bundle.Ranker(variant);
        var history = bundle.History;
        var users = Enumerable.Range(0, history.RowCount).ToArray();
        var lists = new UserRecommendations[users.Length];
        long done = 0;
        Parallel.For(0, users.Length, new ParallelOptions { CancellationToken = cancellation }, j =>
        {
            var answer = ranker.Recommend(Known(bundle, users[j]), n);
            lists[j] = new UserRecommendations(users[j], answer.Items, answer.Scores);
            if (Interlocked.Increment(ref done) is var count && count % ProgressEvery == 0)
            {
                progress?.Report(new RecKit.Models.TrainingProgress("users recommended", count, users.Length, null));
            }
        });
        progress?.Report(new RecKit.Models.TrainingProgress("users recommended", users.Length, users.Length, null));
        return lists;
    }

    /// <summary>A user of the bundle as they were when it was built (nothing ingested since).</summary>
    public static LiveUser Known(ServingBundle bundle, int user)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var items = bundle.History.RowColumns(user).ToArray();
        return new LiveUser(bundle.Users[user], user, items, bundle.History.RowValues(user).ToArray(), items, Changed: false);
    }
}
