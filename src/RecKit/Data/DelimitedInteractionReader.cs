using System.Diagnostics;
using System.Globalization;

namespace RecKit.Data;

/// <summary>
/// Streams an interaction log from delimited text: one line at a time, never the whole text in memory.
/// Every malformed line stops the load with a <see cref="DataFormatException"/> naming file, line and
/// field, unless <see cref="DelimitedReaderOptions.SkipBadLines"/> is set, in which case it is counted.
/// </summary>
public static class DelimitedInteractionReader
{
    private const int MaxExamples = 5;

    public static LoadResult Read(string path, DelimitedReaderOptions? options = null, IProgress<long>? rowsProgress = null)
    {
        options ??= new DelimitedReaderOptions();
        options.Validate();
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, 0, null, "file not found.");
        }

        var clock = Stopwatch.StartNew();
        using var reader = new StreamReader(path, options.Encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var builder = new InteractionsBuilder(options.UserMap, options.ItemMap);
        long lineNumber = 0, rows = 0, bad = 0;
        var examples = new List<string>();
        int userCol, itemCol, ratingCol = -1, timeCol = -1, needed;
        string? line;

        if (options.HasHeader)
        {
            line = reader.ReadLine();
            lineNumber++;
            if (line is null || line.Length == 0)
            {
                throw new DataFormatException(path, 0, null, "the file is empty; expected a header line and data.");
            }

            var header = line.Split(options.Delimiter);
            if (header.Length == 1 && (options.User.Name is not null || options.Item.Name is not null))
            {
                throw new DataFormatException(path, 1, null, $"the header has a single column; is the delimiter '{Show(options.Delimiter)}' right?");
            }

            userCol = Resolve(options.User, header, path, "user");
            itemCol = Resolve(options.Item, header, path, "item");
            if (options.Rating is { } r)
            {
                ratingCol = Resolve(r, header, path, "rating");
            }

            if (options.Timestamp is { } t)
            {
                timeCol = Resolve(t, header, path, "timestamp");
            }
        }
        else
        {
            userCol = ByPositionOnly(options.User, path, "user");
            itemCol = ByPositionOnly(options.Item, path, "item");
            ratingCol = options.Rating is { } r ? ByPositionOnly(r, path, "rating") : -1;
            timeCol = options.Timestamp is { } t ? ByPositionOnly(t, path, "timestamp") : -1;
        }

        needed = Math.Max(Math.Max(userCol, itemCol), Math.Max(ratingCol, timeCol)) + 1;
        Span<Range> ranges = stackalloc Range[Math.Max(needed + 1, 8)];
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            rows++;
            var error = ParseLine(line, options.Delimiter, ranges, needed, userCol, itemCol, ratingCol, timeCol, builder);
            if (error is not null)
            {
                var ex = new DataFormatException(path, lineNumber, error.Value.Field, error.Value.Problem);
                if (rows == 1 && !options.SkipBadLines && error.Value.Field == "field count")
                {
                    throw new DataFormatException(path, lineNumber, null, $"{error.Value.Problem} Is the delimiter '{Show(options.Delimiter)}' right?");
                }

                if (!options.SkipBadLines)
                {
                    throw ex;
                }

                bad++;
                if (examples.Count < MaxExamples)
                {
                    examples.Add(ex.Message);
                }
            }

            if ((rows & 0xFFFFF) == 0)
            {
                rowsProgress?.Report(rows);
            }
        }

        if (rows == 0)
        {
            throw new DataFormatException(path, 0, null, options.HasHeader ? "the file has a header but no data lines." : "the file is empty.");
        }

        if (builder.Count == 0)
        {
            throw new DataFormatException(path, 0, null, $"all {rows} data lines were malformed; first: {examples.FirstOrDefault()}");
        }

        var interactions = builder.Build(options.Duplicates, hasRatings: ratingCol >= 0, hasTimestamps: timeCol >= 0, out var merged);
        clock.Stop();
        var summary = new LoadSummary
        {
            Path = path,
            RowsRead = rows,
            Interactions = interactions.Count,
            DuplicatesMerged = merged,
            DuplicatePolicy = options.Duplicates,
            BadLinesSkipped = bad,
            BadLineExamples = examples,
            Elapsed = clock.Elapsed,
        };
        return new LoadResult(interactions, summary);
    }

    private static (string Field, string Problem)? ParseLine(
        string line, string delimiter, Span<Range> ranges, int needed, int userCol, int itemCol, int ratingCol, int timeCol, InteractionsBuilder builder)
    {
        var text = line.AsSpan().TrimEnd('\r');
        var count = text.Split(ranges, delimiter);
        if (count < needed)
        {
            return ("field count", $"expected at least {needed} fields separated by '{Show(delimiter)}', found {count}.");
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

    private static int Resolve(ColumnRef column, string[] header, string path, string role)
    {
        if (column.Name is null)
        {
            return column.Position;
        }

        for (var i = 0; i < header.Length; i++)
        {
            if (string.Equals(header[i].Trim().Trim('\r'), column.Name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new DataFormatException(path, 1, role, $"no column named '{column.Name}' in the header ({string.Join(", ", header.Select(h => h.Trim()))}).");
    }

    private static int ByPositionOnly(ColumnRef column, string path, string role) =>
        column.Name is null
            ? column.Position
            : throw new DataFormatException(path, 0, role, $"column '{column.Name}' is chosen by name but the file is read without a header; give a position.");

    private static string Show(string delimiter) => delimiter.Replace("\t", "\\t", StringComparison.Ordinal);
}
