using System.Collections.ObjectModel;

namespace RecKit.Data;

/// <summary>
/// Maps external ids (strings as they appear in the input) to dense indices 0..Count-1 and back.
/// External ids live only at the edges (readers, CLI, server); everything inside works on indices.
/// </summary>
public sealed class IdMap
{
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanLookup;
    private readonly List<string> _ids;

    public IdMap()
        : this(new List<string>())
    {
    }

    private IdMap(List<string> ids)
    {
        _ids = ids;
        _index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!_index.TryAdd(ids[i], i))
            {
                throw new ArgumentException($"Duplicate id '{ids[i]}' in id list.", nameof(ids));
            }
        }

        _spanLookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Builds a map whose index i is <paramref name="ids"/>[i].</summary>
    public static IdMap FromIds(IEnumerable<string> ids) => new(ids.ToList());

    public int Count => _ids.Count;

    /// <summary>External id of a dense index.</summary>
    public string this[int index] => _ids[index];

    public ReadOnlyCollection<string> Ids => _ids.AsReadOnly();

    public bool TryGetIndex(ReadOnlySpan<char> id, out int index) => _spanLookup.TryGetValue(id, out index);

    public bool TryGetIndex(string id, out int index) => _index.TryGetValue(id, out index);

    /// <summary>Index of a known id; throws <see cref="KeyNotFoundException"/> naming the id otherwise.</summary>
    public int GetIndex(string id) =>
        _index.TryGetValue(id, out var index) ? index : throw new KeyNotFoundException($"Unknown id '{id}'.");

    /// <summary>Index of the id, adding it when new. Only loaders call this, before the map is shared.</summary>
    internal int GetOrAdd(ReadOnlySpan<char> id)
    {
        if (_spanLookup.TryGetValue(id, out var index))
        {
            return index;
        }

        index = _ids.Count;
        var text = id.ToString();
        _ids.Add(text);
        _index.Add(text, index);
        return index;
    }

    /// <inheritdoc cref="GetOrAdd(ReadOnlySpan{char})"/>
    internal int GetOrAdd(string id) => GetOrAdd(id.AsSpan());
}
