using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace RecKit.Data;

/// <summary>
/// The fast reader for UTF-8 (and ASCII) logs: reads the file in 1 MiB blocks of bytes and parses fields in
/// place — no string per line or field, ids interned through <see cref="IdInterner"/>, simple decimals parsed
/// without the general float parser. It accepts exactly what <see cref="TextLineInteractionReader"/> accepts and
/// gives the same result (tests hold the two together).
/// </summary>
internal static class Utf8InteractionReader
{
    private static readonly float[] PowersOfTen = [1f, 10f, 100f, 1_000f, 10_000f, 100_000f, 1_000_000f, 10_000_000f];

    // Loaded once per process, so the first call must already run optimised code (no tier-0 loop).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LoadResult Read(string path, DelimitedReaderOptions options, IProgress<long>? rowsProgress = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        int start = 0, end = 0;
        var eof = false;
        var tally = new LoadTally(path, options);
        var delimiter = Encoding.UTF8.GetBytes(options.Delimiter);
        ColumnLayout? layout = null;
        long lineNumber = 0;
        Span<int> fieldStart = stackalloc int[64];
        Span<int> fieldEnd = stackalloc int[64];
        Span<bool> fieldEscaped = stackalloc bool[64];
        var rule = new ValueRule(options.Values, options.Scale);

        // Skip a UTF-8 byte-order mark, as the text reader does.
        Fill(stream, ref buffer, ref start, ref end, ref eof);
        if (end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF)
        {
            start += 3;
        }

        // Size the buffers from the first block's lines so that a large file is not regrown (and copied) as it loads.
        var lines = Math.Max(1, buffer.AsSpan(start, end - start).Count((byte)'\n'));
        var estimate = (long)(stream.Length / ((double)(end - start) / lines) * 1.02) + 16;
        var builder = new InteractionsBuilder(options.UserMap, options.ItemMap, (int)Math.Min(estimate, Array.MaxLength));
        var users = new IdInterner(builder.UserMap);
        var items = new IdInterner(builder.ItemMap);

        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0 && !eof)
            {
                Fill(stream, ref buffer, ref start, ref end, ref eof);
                continue;
            }

            if (newline < 0 && start == end)
            {
                break;
            }

            var lineLength = newline < 0 ? end - start : newline;
            var line = buffer.AsSpan(start, lineLength);
            start += newline < 0 ? lineLength : lineLength + 1;
            lineNumber++;
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (layout is null)
            {
                layout = ColumnLayout.Resolve(options, options.HasHeader ? Encoding.UTF8.GetString(line) : null, path);
                if (layout.Value.Needed > fieldStart.Length)
                {
                    throw new DataFormatException(path, 0, null, $"columns beyond position {fieldStart.Length - 1} are not supported.");
                }

                if (options.HasHeader)
                {
                    continue;
                }
            }

            if (line.IsEmpty)
            {
                continue;
            }

            tally.Rows++;
            if (ParseLine(line, delimiter, layout.Value, rule, fieldStart, fieldEnd, fieldEscaped, users, items, builder) is { } error)
            {
                tally.BadLine(lineNumber, error.Field, error.Problem);
            }

            if ((tally.Rows & 0xFFFFF) == 0)
            {
                rowsProgress?.Report(tally.Rows);
            }
        }

        if (layout is null)
        {
            // Nothing at all was read: an empty file.
            layout = ColumnLayout.Resolve(options, null, path);
        }

        return tally.Finish(builder, layout.Value);
    }

    private static void Fill(FileStream stream, ref byte[] buffer, ref int start, ref int end, ref bool eof)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the block
        }

        var read = stream.Read(buffer, end, buffer.Length - end);
        end += read;
        eof = read == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (string Field, string Problem)? ParseLine(
        ReadOnlySpan<byte> line, ReadOnlySpan<byte> delimiter, ColumnLayout layout, ValueRule rule, Span<int> starts, Span<int> ends, Span<bool> escaped, IdInterner users, IdInterner items, InteractionsBuilder builder)
    {
        var needed = layout.Needed;
        var count = DelimitedLine.Split(line, delimiter, (byte)'"', needed, starts, ends, escaped, out var problem);
        if (count < 0)
        {
            return ("quoting", problem!);
        }

        if (count < needed)
        {
            return ("field count", $"expected at least {needed} fields separated by '{ColumnLayout.Show(Encoding.UTF8.GetString(delimiter))}', found {count}.");
        }

        var user = Field(line, starts, ends, layout.User);
        if (user.IsEmpty)
        {
            return ("user", "the user id is empty.");
        }

        var item = Field(line, starts, ends, layout.Item);
        if (item.IsEmpty)
        {
            return ("item", "the item id is empty.");
        }

        var value = 1f;
        if (layout.Rating >= 0)
        {
            var field = Field(line, starts, ends, layout.Rating);
            if (!TryParseSimpleDecimal(field, out value) && !(float.TryParse(field, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value) && float.IsFinite(value)))
            {
                return ("rating", $"expected a finite number, found '{Encoding.UTF8.GetString(field)}'.");
            }

            if (rule.Check(value) is { } outOfRange)
            {
                return ("rating", outOfRange);
            }
        }

        long timestamp = 0;
        if (layout.Timestamp >= 0)
        {
            var field = Field(line, starts, ends, layout.Timestamp);
            if (!Utf8Parser.TryParse(field, out timestamp, out var used) || used != field.Length)
            {
                return ("timestamp", $"expected an integer (Unix seconds), found '{Encoding.UTF8.GetString(field)}'.");
            }
        }

        var userIndex = escaped[layout.User] ? users.GetOrAdd(Unescaped(user)) : users.GetOrAdd(user);
        var itemIndex = escaped[layout.Item] ? items.GetOrAdd(Unescaped(item)) : items.GetOrAdd(item);
        builder.AddIndices(userIndex, itemIndex, value, timestamp);
        return null;
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, Span<int> starts, Span<int> ends, int column) =>
        line[starts[column]..ends[column]].Trim((byte)' ').Trim((byte)'\t');

    /// <summary>An id written with doubled quotes ("a""b"): rare, so a copy per occurrence is fine.</summary>
    private static byte[] Unescaped(ReadOnlySpan<byte> field)
    {
        var copy = new byte[field.Length];
        return copy[..DelimitedLine.Unescape(field, (byte)'"', copy)];
    }

    /// <summary>
    /// [-]digits[.digits] with fewer than 2^24 as the digit string and at most 7 decimals: one exact float
    /// division, which rounds once and so equals the general parser's correctly rounded result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseSimpleDecimal(ReadOnlySpan<byte> field, out float value)
    {
        value = 0;
        var negative = !field.IsEmpty && field[0] == (byte)'-';
        if (negative)
        {
            field = field[1..];
        }

        if (field.IsEmpty || field.Length > 9)
        {
            return false;
        }

        var mantissa = 0;
        var decimals = -1;
        foreach (var b in field)
        {
            if (b == (byte)'.' && decimals < 0)
            {
                decimals = 0;
                continue;
            }

            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            mantissa = (mantissa * 10) + (int)digit;
            decimals += decimals >= 0 ? 1 : 0;
        }

        if (decimals == 0 || field[0] == (byte)'.' || mantissa >= 1 << 24 || decimals > 7)
        {
            return false; // "5." or ".5" or too many digits: leave it to the general parser
        }

        value = decimals > 0 ? mantissa / PowersOfTen[decimals] : mantissa;
        value = negative ? -value : value;
        return true;
    }
}
