using System.Runtime.CompilerServices;
using System.Text;

namespace RecKit.Data;

/// <summary>
/// Maps ids read as UTF-8 bytes to <see cref="IdMap"/> indices without making a string per row. Canonical
/// non-negative integers (no sign, no leading zero, at most 18 digits) go through a numeric cache — an array
/// for small values, a dictionary above — in front of the map; anything else is decoded and looked up by text.
/// The map stays the one source of truth: every index it hands out is the map's own.
/// </summary>
internal sealed class IdInterner(IdMap map)
{
    private const long DirectLimit = 1 << 24;
    private int[] _direct = [];
    private readonly Dictionary<long, int> _large = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(ReadOnlySpan<byte> id)
    {
        if (TryParseCanonical(id, out var number))
        {
            if (number < DirectLimit)
            {
                if (number < _direct.Length && _direct[number] > 0)
                {
                    return _direct[number] - 1;
                }

                var index = Add(id);
                if (number >= _direct.Length)
                {
                    Array.Resize(ref _direct, (int)Math.Min(DirectLimit, Math.Max(number + 1, _direct.Length * 2L)));
                }

                _direct[number] = index + 1; // 0 marks "not cached"
                return index;
            }

            if (_large.TryGetValue(number, out var cached))
            {
                return cached;
            }

            return _large[number] = Add(id);
        }

        return Add(id);
    }

    private int Add(ReadOnlySpan<byte> id)
    {
        Span<char> chars = id.Length <= 256 ? stackalloc char[id.Length] : new char[id.Length];
        var n = Encoding.UTF8.GetChars(id, chars);
        return map.GetOrAdd(chars[..n]);
    }

    private static bool TryParseCanonical(ReadOnlySpan<byte> id, out long value)
    {
        value = 0;
        if (id.IsEmpty || id.Length > 18 || (id[0] == (byte)'0' && id.Length > 1))
        {
            return false;
        }

        foreach (var b in id)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
