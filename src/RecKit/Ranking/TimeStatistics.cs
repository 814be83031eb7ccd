using System.Buffers.Binary;
using RecKit.Data;
using RecKit.IO;

namespace RecKit.Ranking;

/// <summary>
/// Where a candidate item stands in time against the user (seed 003 §10: item age where timestamps exist), from the
/// interactions' timestamps: the item's age when the user was last seen (days from the item's first interaction to the
/// user's last; negative: the item came after), and how far apart the middles (medians) of the user's and the item's
/// interactions lie (days). Written after every other stack feature column when the statistics source has timestamps;
/// kept in a bundle (<see cref="FileName"/>) so that served rows match offline ones.
/// </summary>
public sealed class TimeStatistics
{
    /// <summary>The bundle file holding the anchors.</summary>
    public const string FileName = "times.bin";

    private const float Day = 86_400f;
    private const long None = long.MinValue;
    private static readonly byte[] Magic = "RECKITTM"u8.ToArray();
    private readonly long[] _userLast;
    private readonly long[] _userMiddle;
    private readonly long[] _itemFirst;
    private readonly long[] _itemMiddle;

    private TimeStatistics(long[] userLast, long[] userMiddle, long[] itemFirst, long[] itemMiddle, long newest)
    {
        (_userLast, _userMiddle, _itemFirst, _itemMiddle, Newest) = (userLast, userMiddle, itemFirst, itemMiddle, newest);
    }

    /// <summary>The columns' names, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["time_item_age", "time_middle_gap"];

    /// <summary>How many time columns end a feature row.</summary>
    public static int Count => Names.Count;

    public int UserCount => _userLast.Length;

    public int ItemCount => _itemFirst.Length;

    /// <summary>The newest timestamp of the interactions: when a live user is taken to be active.</summary>
    public long Newest { get; }

    /// <summary>Whether a stack's feature names end with the time columns.</summary>
    public static bool In(IReadOnlyList<string> featureNames) => featureNames.Count >= Count && featureNames[^Count] == Names[0];

    /// <summary>The anchors of interactions that carry timestamps.</summary>
    public static TimeStatistics Of(Interactions interactions)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        if (!interactions.HasTimestamps)
        {
            throw new ArgumentException("The interactions have no timestamps.", nameof(interactions));
        }

        var times = interactions.Timestamps;
        var newest = times.IsEmpty ? 0 : long.MinValue;
        foreach (var t in times)
        {
            newest = Math.Max(newest, t);
        }

        var (_, userLast, userMiddle) = Anchors(interactions.Users, times, interactions.UserCount);
        var (itemFirst, _, itemMiddle) = Anchors(interactions.Items, times, interactions.ItemCount);
        return new TimeStatistics(userLast, userMiddle, itemFirst, itemMiddle, newest);
    }

    /// <summary>A user's anchors (last and middle timestamp); null when the user has no interactions here.</summary>
    public (long Last, long Middle)? User(int user) => (uint)user < (uint)_userLast.Length && _userLast[user] != None ? (_userLast[user], _userMiddle[user]) : null;

    /// <summary>A user who is active now and known by no stored interactions: last and middle at <see cref="Newest"/>.</summary>
    public (long Last, long Middle) Live => (Newest, Newest);

    /// <summary>Writes the time columns for one (user, item) pair: zeros when the user or the item has no interactions (an item added while serving).</summary>
    public void Write((long Last, long Middle)? user, int item, Span<float> columns)
    {
        if (user is not { } u || (uint)item >= (uint)_itemFirst.Length || _itemFirst[item] == None)
        {
            columns[..Count].Clear();
            return;
        }

        columns[0] = (u.Last - _itemFirst[item]) / Day;
        columns[1] = (u.Middle - _itemMiddle[item]) / Day;
    }

    /// <summary>Writes the anchors to a file, atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(1); // format version
        writer.Write(UserCount);
        writer.Write(ItemCount);
        writer.Write(Newest);
        foreach (var array in (long[][])[_userLast, _userMiddle, _itemFirst, _itemMiddle])
        {
            foreach (var value in array)
            {
                writer.Write(value);
            }
        }
    });

    /// <summary>Reads anchors written by <see cref="Save"/>, for a bundle of <paramref name="users"/> users and <paramref name="items"/> items.</summary>
    /// <exception cref="InvalidDataException">The file is not an anchors file, is cut short, or counts other users or items.</exception>
    public static TimeStatistics Load(string path, int users, int items)
    {
        var bytes = File.ReadAllBytes(path);
        var header = Magic.Length + 4 + 4 + 4 + 8;
        if (bytes.Length < header || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a RecKit time anchors file.");
        }

        var at = Magic.Length;
        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        var userCount = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
        var itemCount = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 8));
        var newest = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at + 12));
        if (version != 1)
        {
            throw new InvalidDataException($"{path}: format version {version}; this build reads version 1.");
        }

        if (userCount != users || itemCount != items)
        {
            throw new InvalidDataException($"{path}: anchors for {userCount} users and {itemCount} items; the bundle has {users} and {items}.");
        }

        if (bytes.Length != header + (16L * (userCount + itemCount)))
        {
            throw new InvalidDataException($"{path}: {bytes.Length} bytes; {userCount} users and {itemCount} items need {header + (16L * (userCount + itemCount))}.");
        }

        var offset = header;
        long[] Read(int n)
        {
            var values = new long[n];
            for (var k = 0; k < n; k++, offset += 8)
            {
                values[k] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset));
            }

            return values;
        }

        var userLast = Read(userCount);
        var userMiddle = Read(userCount);
        var itemFirst = Read(itemCount);
        var itemMiddle = Read(itemCount);
        return new TimeStatistics(userLast, userMiddle, itemFirst, itemMiddle, newest);
    }

    /// <summary>Per row index (user or item): the first, last and middle (upper median) timestamp; <see cref="None"/> for a row without any.</summary>
    private static (long[] First, long[] Last, long[] Middle) Anchors(ReadOnlySpan<int> rows, ReadOnlySpan<long> times, int count)
    {
        var grouped = GroupedPositions.Of(rows, count);
        var (first, last, middle) = (new long[count], new long[count], new long[count]);
        var sorted = new long[rows.Length];
        for (var r = 0; r < count; r++)
        {
            var positions = grouped.Group(r);
            if (positions.IsEmpty)
            {
                (first[r], last[r], middle[r]) = (None, None, None);
                continue;
            }

            var span = sorted.AsSpan(0, positions.Length);
            for (var k = 0; k < positions.Length; k++)
            {
                span[k] = times[positions[k]];
            }

            span.Sort();
            (first[r], last[r], middle[r]) = (span[0], span[^1], span[span.Length / 2]);
        }

        return (first, last, middle);
    }
}
