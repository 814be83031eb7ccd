using RecKit.Serving;

namespace RecKit.Cluster;

/// <summary>
/// A silo's <see cref="IUserStateSource"/>: the user's rows in the shared store (PostgreSQL), kept or dropped and weighed
/// exactly as a one-node server replays them (<see cref="LiveRows"/>), over the bundle this silo serves. A grain of a
/// bundle version this silo does not serve is refused rather than filled with another bundle's item numbers.
/// </summary>
public sealed class ServiceUserStateSource(Func<RecommendationService> service) : IUserStateSource
{
    public Task<IReadOnlyList<LiveEntry>> LoadAsync(string scope, string user)
    {
        var current = service();
        var bundle = current.Current.Bundle;
        if (bundle.Version != scope)
        {
            throw new InvalidOperationException($"user state of bundle {scope} asked of a silo serving {bundle.Version}");
        }

        IReadOnlyList<LiveEntry> entries = [.. LiveRows.Of(bundle, current.Options.FeedbackTypes, current.Store.ReadUser(user)).Select(x => new LiveEntry(x.Item, x.Weight, x.Id))];
        return Task.FromResult(entries);
    }
}
