namespace RecKit.Data;

/// <summary>Where the user, item, rating and timestamp fields are on a line, resolved once from options and header.</summary>
internal readonly record struct ColumnLayout(int User, int Item, int Rating, int Timestamp)
{
    /// <summary>Fields a line must have at least.</summary>
    public int Needed => Math.Max(Math.Max(User, Item), Math.Max(Rating, Timestamp)) + 1;

    public static ColumnLayout Resolve(DelimitedReaderOptions options, string? header, string path)
    {
        if (!options.HasHeader)
        {
            return new ColumnLayout(
                ByPositionOnly(options.User, path, "user"),
                ByPositionOnly(options.Item, path, "item"),
                options.Rating is { } r ? ByPositionOnly(r, path, "rating") : -1,
                options.Timestamp is { } t ? ByPositionOnly(t, path, "timestamp") : -1);
        }

        if (string.IsNullOrEmpty(header))
        {
            throw new DataFormatException(path, 0, null, "the file is empty; expected a header line and data.");
        }

        var names = SplitHeader(header.TrimEnd('\r'), options.Delimiter, path);
        if (names.Length == 1 && (options.User.Name is not null || options.Item.Name is not null || options.Rating is not null))
        {
            throw new DataFormatException(path, 1, null, $"the header has a single column; is the delimiter '{Show(options.Delimiter)}' right?");
        }

        return new ColumnLayout(
            Find(options.User, names, path, "user"),
            Find(options.Item, names, path, "item"),
            options.Rating is { } rating ? Find(rating, names, path, "rating") : -1,
            options.Timestamp is { } time ? Find(time, names, path, "timestamp") : -1);
    }

    private static string[] SplitHeader(string header, string delimiter, string path)
    {
        var most = header.Length + 1;
        var starts = new int[most];
        var ends = new int[most];
        var escaped = new bool[most];
        var count = DelimitedLine.Split(header.AsSpan(), delimiter, '"', most, starts, ends, escaped, out var problem);
        if (count < 0)
        {
            throw new DataFormatException(path, 1, "header", problem!);
        }

        return Enumerable.Range(0, count).Select(f => header[starts[f]..ends[f]].Replace("\"\"", "\"", StringComparison.Ordinal)).ToArray();
    }

    public static string Show(string delimiter) => delimiter.Replace("\t", "\\t", StringComparison.Ordinal);

    private static int Find(ColumnRef column, string[] header, string path, string role)
    {
        if (column.Name is null)
        {
            return column.Position;
        }

        for (var i = 0; i < header.Length; i++)
        {
            if (string.Equals(header[i].Trim(), column.Name, StringComparison.OrdinalIgnoreCase))
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
}
