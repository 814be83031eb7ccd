using System.Globalization;

namespace RecKit.Data;

/// <summary>
/// The plain line-by-line reader: decodes each line to text and splits it. It reads any encoding, and it is
/// the reference that the fast byte reader (<see cref="Utf8InteractionReader"/>) is tested against.
/// </summary>
internal static class TextLineInteractionReader
{
    public static LoadResult Read(string path, DelimitedReaderOptions options, IProgress<long>? rowsProgress = null)
    {
        using var reader = new StreamReader(path, options.Encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var builder = new InteractionsBuilder(options.UserMap, options.ItemMap);
        var tally = new LoadTally(path, options);
        var layout = ColumnLayout.Resolve(options, options.HasHeader ? ReadLine(reader) : null, path);
        long lineNumber = options.HasHeader ? 1 : 0;
        Span<int> starts = stackalloc int[layout.Needed];
        Span<int> ends = stackalloc int[layout.Needed];
        Span<bool> escaped = stackalloc bool[layout.Needed];
        var rule = new ValueRule(options.Values, options.Scale);
        string? line;
        while ((line = ReadLine(reader)) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            tally.Rows++;
            if (ParseLine(line, options.Delimiter, layout, rule, starts, ends, escaped, builder) is { } error)
            {
                tally.BadLine(lineNumber, error.Field, error.Problem);
            }

            if ((tally.Rows & 0xFFFFF) == 0)
            {
                rowsProgress?.Report(tally.Rows);
            }
        }

        return tally.Finish(builder, layout);
    }

    /// <summary>
    /// A line ends at LF only (a CR before it is dropped), as the fast reader and RFC 4180 have it: a CR alone is part
    /// of the line, where <see cref="TextReader.ReadLine"/> would end the line there and the two readers would disagree.
    /// </summary>
    private static string? ReadLine(StreamReader reader)
    {
        var line = new System.Text.StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0 && c != '\n')
        {
            line.Append((char)c);
        }

        if (c < 0 && line.Length == 0)
        {
            return null;
        }

        return line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();
    }

    private static (string Field, string Problem)? ParseLine(
        string line, string delimiter, ColumnLayout layout, ValueRule rule, Span<int> starts, Span<int> ends, Span<bool> escaped, InteractionsBuilder builder)
    {
        var (userCol, itemCol, ratingCol, timeCol, needed) = (layout.User, layout.Item, layout.Rating, layout.Timestamp, layout.Needed);
        var text = line.AsSpan().TrimEnd('\r');
        var count = DelimitedLine.Split(text, delimiter, '"', needed, starts, ends, escaped, out var problem);
        if (count < 0)
        {
            return ("quoting", problem!);
        }

        if (count < needed)
        {
            return ("field count", $"expected at least {needed} fields separated by '{ColumnLayout.Show(delimiter)}', found {count}.");
        }

        var user = Field(text, starts, ends, escaped, userCol);
        if (user.Length == 0)
        {
            return ("user", "the user id is empty.");
        }

        var item = Field(text, starts, ends, escaped, itemCol);
        if (item.Length == 0)
        {
            return ("item", "the item id is empty.");
        }

        var value = 1f;
        if (ratingCol >= 0)
        {
            var field = Field(text, starts, ends, escaped, ratingCol);
            if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !float.IsFinite(value))
            {
                return ("rating", $"expected a finite number, found '{field}'.");
            }

            if (rule.Check(value) is { } outOfRange)
            {
                return ("rating", outOfRange);
            }
        }

        long timestamp = 0;
        if (timeCol >= 0)
        {
            var field = Field(text, starts, ends, escaped, timeCol);
            if (!long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out timestamp))
            {
                return ("timestamp", $"expected an integer (Unix seconds), found '{field}'.");
            }
        }

        builder.Add(user, item, value, timestamp);
        return null;
    }

    /// <summary>A field without surrounding blanks (the fast reader trims spaces and tabs), doubled quotes made single.</summary>
    private static string Field(ReadOnlySpan<char> text, Span<int> starts, Span<int> ends, Span<bool> escaped, int column)
    {
        var field = text[starts[column]..ends[column]].Trim(" \t");
        if (!escaped[column])
        {
            return field.ToString();
        }

        Span<char> copy = field.Length <= 256 ? stackalloc char[field.Length] : new char[field.Length];
        return copy[..DelimitedLine.Unescape(field, '"', copy)].ToString();
    }
}
