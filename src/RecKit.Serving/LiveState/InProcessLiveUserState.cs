using System.Collections.Concurrent;
using RecKit.Data;

namespace RecKit.Serving;

/// <summary>
/// The live user state in this process's memory: what has been ingested since the serving bundle was trained, per
/// user (positive items with summed weights, negative items never to be recommended again, the vectors folded from
/// them). It is data, not a cache: it holds exactly the interactions stored
/// after the bundle's <see cref="Bundles.BundleManifest.IngestedThrough"/>, is rebuilt from the store when a bundle is loaded,
/// and shrinks to nothing when a retrained bundle takes them in. Memory is proportional to that backlog (measured with
/// bench live-memory: 33 bytes of managed heap per interaction plus about 385 per user with anything live; through the
/// server, 500,000 interactions of 50,000 users raised resident memory by 120 bytes each), which retraining bounds
/// (serve.retraining.maxLiveInteractions).
/// </summary>
public sealed class InProcessLiveUserState : ILiveUserState
{
    private readonly ConcurrentDictionary<string, UserDelta> _users = new(StringComparer.Ordinal);
    private long _appliedThrough;
    private long _count;

    /// <summary>The highest store row id applied.</summary>
    public long AppliedThrough => Interlocked.Read(ref _appliedThrough);

    /// <summary>Interactions held.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Users with anything ingested since the bundle.</summary>
    public int UserCount => _users.Count;

    public ValueTask ApplyAsync(IReadOnlyList<LiveInteraction> interactions)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        foreach (var x in interactions)
        {
            Apply(x.User, x.Item, x.Weight, x.Id);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<LiveUser> UserAsync(string id, int index, CsrMatrix bundleHistory)
    {
        ArgumentNullException.ThrowIfNull(bundleHistory);
        return ValueTask.FromResult(index >= 0 ? User(id, index, bundleHistory.RowColumns(index), bundleHistory.RowValues(index)) : User(id, -1, [], []));
    }

    public ValueTask EraseAsync(string id)
    {
        if (_users.TryRemove(id, out var delta))
        {
            lock (delta)
            {
                Interlocked.Add(ref _count, -delta.Count);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Records one stored interaction of a known item (<paramref name="weight"/> &lt; 0: a negative).</summary>
    public void Apply(string user, int item, float weight, long id)
    {
        var delta = _users.GetOrAdd(user, static _ => new UserDelta());
        lock (delta)
        {
            if (weight < 0)
            {
                delta.Negatives.Add(item);
            }
            else
            {
                delta.Positives[item] = delta.Positives.GetValueOrDefault(item) + weight;
            }

            delta.Count++;
            delta.Changed();
        }

        Interlocked.Increment(ref _count);
        long seen;
        while ((seen = Interlocked.Read(ref _appliedThrough)) < id && Interlocked.CompareExchange(ref _appliedThrough, id, seen) != seen)
        {
        }
    }

    public bool Knows(string user) => _users.ContainsKey(user);

    /// <summary>
    /// The user as a request sees them: the bundle's history (index −1: none) merged with what was ingested since.
    /// </summary>
    public LiveUser User(string id, int index, ReadOnlySpan<int> bundleItems, ReadOnlySpan<float> bundleValues)
    {
        if (!_users.TryGetValue(id, out var delta))
        {
            return LiveUser.Unchanged(id, index, bundleItems, bundleValues);
        }

        var (added, weights, negatives, folds) = delta.Sorted();
        return LiveUser.Merge(id, index, bundleItems, bundleValues, added, weights, negatives, folds);
    }

    private sealed class UserDelta
    {
        private (int[] Items, float[] Weights, int[] Negatives, FoldCache Folds)? _sorted;

        /// <summary>Interactions applied (for the state's count when the user is erased).</summary>
        public long Count { get; set; }

        public Dictionary<int, float> Positives { get; } = [];

        public HashSet<int> Negatives { get; } = [];

        /// <summary>Call under the delta's lock after a change: the sorted view is rebuilt on the next read.</summary>
        public void Changed() => _sorted = null;

        /// <summary>The positives ascending with their weights, the negatives ascending, and the folds of this version (rebuilt only after a change).</summary>
        public (int[] Items, float[] Weights, int[] Negatives, FoldCache Folds) Sorted()
        {
            lock (this)
            {
                if (_sorted is { } ready)
                {
                    return ready;
                }

                var items = Positives.Keys.ToArray();
                Array.Sort(items);
                var weights = Array.ConvertAll(items, i => Positives[i]);
                var negatives = Negatives.ToArray();
                Array.Sort(negatives);
                _sorted = (items, weights, negatives, new FoldCache());
                return _sorted.Value;
            }
        }
    }
}
