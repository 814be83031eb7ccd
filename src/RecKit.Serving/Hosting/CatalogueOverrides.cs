using System.Collections.Concurrent;

namespace RecKit.Serving;

/// <summary>
/// The items hidden or deleted since the bundles were built (<see cref="ItemState"/>), as every answer applies them:
/// loaded from the store at start, changed by the catalogue endpoints, and turned per serving bundle into one mask of
/// its item indices (rebuilt only when a state or the bundle changes), so a request pays one array read per item.
/// </summary>
public sealed class CatalogueOverrides
{
    private readonly ConcurrentDictionary<string, ItemState> _states = new(StringComparer.Ordinal);
    private volatile Mask? _mask;
    private long _version;

    public CatalogueOverrides(IReadOnlyDictionary<string, ItemState> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var (item, state) in stored)
        {
            Set(item, state);
        }
    }

    /// <summary>Items not visible, with their state.</summary>
    public IReadOnlyDictionary<string, ItemState> States => _states;

    /// <summary>Moves on every change (the catalogue's additions rebuild their view when it does).</summary>
    public long Version => Interlocked.Read(ref _version);

    public ItemState StateOf(string item) => _states.GetValueOrDefault(item, ItemState.Visible);

    public void Set(string item, ItemState state)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (state == ItemState.Visible)
        {
            _states.TryRemove(item, out _);
        }
        else
        {
            _states[item] = state;
        }

        Interlocked.Increment(ref _version);
    }

    /// <summary>Whether any item of <paramref name="bundle"/> is hidden or deleted, and the predicate "may be shown" when one is (null: all may).</summary>
    public Func<int, bool>? Allow(ServingBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (_states.IsEmpty)
        {
            return null;
        }

        var version = Interlocked.Read(ref _version);
        var mask = _mask;
        if (mask is null || mask.Bundle != bundle || mask.Version != version)
        {
            var blocked = new bool[bundle.Items.Count];
            foreach (var item in _states.Keys)
            {
                if (bundle.Items.TryGetIndex(item, out var index))
                {
                    blocked[index] = true;
                }
            }

            _mask = mask = new Mask(bundle, version, blocked, blocked.Count(b => b));
        }

        return mask.Count == 0 ? null : mask.Allows;
    }

    private sealed class Mask(ServingBundle bundle, long version, bool[] blocked, int count)
    {
        public ServingBundle Bundle { get; } = bundle;

        public long Version { get; } = version;

        public int Count { get; } = count;

        /// <summary>The predicate, made once per mask: a request reads it without allocating a delegate.</summary>
        public Func<int, bool> Allows { get; } = item => !blocked[item];
    }
}
