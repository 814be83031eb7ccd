using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace RecKit.Data;

/// <summary>
/// A short hash of a set of interactions (ids, pairs, values, timestamps): two runs hold the same fingerprint only if
/// they saw the same data, so a checkpoint or bundle can refuse to continue on other data.
/// </summary>
public static class DataFingerprint
{
    public static string Of(Interactions data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var hash = new XxHash64();
        Span<byte> count = stackalloc byte[4];
        foreach (var map in new[] { data.UserMap, data.ItemMap })
        {
            BitConverter.TryWriteBytes(count, map.Count);
            hash.Append(count);
            for (var i = 0; i < map.Count; i++)
            {
                hash.Append(Encoding.UTF8.GetBytes(map[i]));
                hash.Append([0]);
            }
        }

        hash.Append(MemoryMarshal.AsBytes(data.Users));
        hash.Append(MemoryMarshal.AsBytes(data.Items));
        hash.Append(MemoryMarshal.AsBytes(data.Values));
        hash.Append(MemoryMarshal.AsBytes(data.Timestamps));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
