using System.Collections.Concurrent;
using RecKit.Data;

namespace RecKit.Serving;

/// <summary>
/// The rows of one bundle whose users were erased after it was trained, by user index: found once when the bundle is
/// loaded (each of its user ids hashed against the erasures, only when there are any) and added to at each erasure, so
/// a request asks a set, never hashes an id.
/// </summary>
internal sealed class ErasedRows
{
    private readonly ConcurrentDictionary<int, byte> _indices = new();

    private ErasedRows(ServingBundle bundle) => Bundle = bundle;

    public ServingBundle Bundle { get; }

    /// <summary>The rows of <paramref name="bundle"/> erased later than it was trained (<paramref name="erased"/>: user hash → erasure number).</summary>
    public static ErasedRows For(ServingBundle bundle, IReadOnlyDictionary<string, long> erased)
    {
        var rows = new ErasedRows(bundle);
        if (erased.Count > 0)
        {
            for (var user = 0; user < bundle.Users.Count; user++)
            {
                if (erased.TryGetValue(UserErasure.Hash(bundle.Users[user]), out var erasure))
                {
                    rows.Add(user, erasure);
                }
            }
        }

        return rows;
    }

    /// <summary>Records the row of a user erased by erasure number <paramref name="erasure"/>, if the bundle was trained before it.</summary>
    public void Add(int user, long erasure)
    {
        if (Bundle.Manifest.ErasuresThrough < erasure)
        {
            _indices[user] = 0;
        }
    }

    public bool Contains(int user) => !_indices.IsEmpty && _indices.ContainsKey(user);
}
