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
        var layout = ColumnLayout.Resolve(options, options.HasHeader ? reader.ReadLine() : null, path);
        long lineNumber = options.HasHeader ? 1 : 0;
        Span<Range> ranges = stackalloc Range[Math.Max(layout.Needed + 1, 8)];
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            tally.Rows++;
            if (ParseLine(line, options.Delimiter, ranges, layout, builder) is { } error)
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

    private static (string Field, string Problem)? ParseLine(
        string line, string delimiter, Span<Range> ranges, ColumnLayout layout, InteractionsBuilder builder)
    {
        var (userCol, itemCol, ratingCol, timeCol, needed) = (layout.User, layout.Item, layout.Rating, layout.Timestamp, layout.Needed);
        var text = line.AsSpan().TrimEnd('\r');
        var count = text.Split(ranges, delimiter);
        if (count < needed)
        {
            return ("field count", $"expected at least {needed} fields separated by '{ColumnLayout.Show(delimiter)}', found {count}.");
        }

        var user = text[ranges[userCol]].Trim();
        if (user.IsEmpty)
        {
            return ("user", "the user id is empty.");
        }

        var item = text[ranges[itemCol]].Trim();
        if (item.IsEmpty)
        {
            return ("item", "the item id is empty.");
        }

        var value = 1f;
        if (ratingCol >= 0)
        {
            var field = text[ranges[ratingCol]].Trim();
            if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !float.IsFinite(value))
            {
                return ("rating", $"expected a finite number, found '{field}'.");
            }
        }

        long timestamp = 0;
        if (timeCol >= 0)
        {
            var field = text[ranges[timeCol]].Trim();
            if (!long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out timestamp))
            {
                return ("timestamp", $"expected an integer (Unix seconds), found '{field}'.");
            }
        }

        builder.Add(user, item, value, timestamp);
        return null;
    }
}
