namespace RecKit.Cluster;

/// <summary>
/// A user's ingested interactions as the live state keeps them: positives with summed weights, negatives, and the store
/// ids held, so an interaction delivered twice counts once. The user grain holds one; a silo that cannot reach the grain
/// builds one from the store for a single answer.
/// </summary>
internal sealed class UserHistory
{
    private readonly Dictionary<int, float> _positives = [];
    private readonly HashSet<int> _negatives = [];
    private readonly HashSet<long> _ids = [];
    private long _version;
    private UserDelta? _sorted;

    /// <summary>Interactions held.</summary>
    public int Count => _ids.Count;

    /// <summary>Adds the entries not yet held; returns how many were new.</summary>
    public int Apply(IEnumerable<LiveEntry> entries)
    {
        var added = 0;
        foreach (var entry in entries)
        {
            if (!_ids.Add(entry.Id))
            {
                continue;
            }

            if (entry.Weight < 0)
            {
                _negatives.Add(entry.Item);
            }
            else
            {
                _positives[entry.Item] = _positives.GetValueOrDefault(entry.Item) + entry.Weight;
            }

            added++;
        }

        if (added > 0)
        {
            _version++;
            _sorted = null;
        }

        return added;
    }

    /// <summary>What is held, sorted (built once per change).</summary>
    public UserDelta Delta()
    {
        if (_ids.Count == 0)
        {
            return UserDelta.Empty;
        }

        if (_sorted is null)
        {
            var items = _positives.Keys.Order().ToArray();
            _sorted = new UserDelta(_version, items, Array.ConvertAll(items, i => _positives[i]), [.. _negatives.Order()], _ids.Count);
        }

        return _sorted;
    }

    /// <summary>Forgets everything; returns how many interactions were held.</summary>
    public int Clear()
    {
        var held = _ids.Count;
        _positives.Clear();
        _negatives.Clear();
        _ids.Clear();
        _version++;
        _sorted = null;
        return held;
    }
}
