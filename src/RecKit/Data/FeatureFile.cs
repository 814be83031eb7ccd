using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RecKit.Data;

/// <summary>Where a user or item features file is and what its columns mean.</summary>
public sealed record FeatureFileOptions
{
    /// <summary>A CSV file with a header, or JSON lines (one object per line) when it ends in .jsonl or .ndjson.</summary>
    public string Path { get; init; } = "";

    /// <summary>The id column (user or item id, as in the interactions). Default "id".</summary>
    public string Id { get; init; } = "id";

    /// <summary>A column to show for each row (an item's title or name); null when none. Default null.</summary>
    public string? Display { get; init; }

    /// <summary>Field delimiter of a CSV file. Default ",".</summary>
    public string Delimiter { get; init; } = ",";

    /// <summary>The columns used as features; other columns are ignored.</summary>
    public IReadOnlyList<FeatureColumn> Columns { get; init; } = [];

    public void Validate(string owner)
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException($"{owner} 'path' is empty.");
        }

        if (!File.Exists(Path))
        {
            throw new ArgumentException($"{owner} 'path': {Path} does not exist.");
        }

        if (Delimiter.Length != 1)
        {
            throw new ArgumentException($"{owner} 'delimiter' must be one character; it is '{Delimiter}'.");
        }

        foreach (var column in Columns)
        {
            column.Validate(owner);
        }

        if (Columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"{owner}: column '{twice.Key}' is declared twice.");
        }
    }
}

/// <summary>A features file read: its ids in file order, display names, and the features row by row.</summary>
public sealed record FeatureTable(string Path, IReadOnlyList<string> Ids, IReadOnlyList<string?> Display, FeatureMatrix Features)
{
    /// <summary>How the file's columns were encoded (null: not read from a declared file).</summary>
    public FeatureEncoder? Encoder { get; init; }
}

/// <summary>
/// Reads a user or item features file (CSV with a header, or JSON lines) into named sparse features: categorical as
/// one-hot, multi-valued as multi-hot, numeric standardised (missing values allowed), text as TF-IDF words. Bad lines
/// stop the read with file, line and field, as interactions do; an id listed twice is an error.
/// </summary>
public static class FeatureFile
{
    public static FeatureTable Read(FeatureFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Path;
        var json = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);
        var rows = json ? ReadJsonLines(options) : ReadCsv(options);
        var ids = new List<string>();
        var display = new List<string?>();
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!seen.TryAdd(row.Id, row.Line))
            {
                throw new DataFormatException(path, row.Line, options.Id, $"id '{row.Id}' was already listed on line {seen[row.Id]}.");
            }

            ids.Add(row.Id);
            display.Add(row.Display);
        }

        var (features, encoder) = Build(options, rows);
        return new FeatureTable(path, ids, display, features) { Encoder = encoder };
    }

    private sealed record Row(long Line, string Id, string? Display, Dictionary<string, string?> Values);

    private static List<Row> ReadCsv(FeatureFileOptions options)
    {
        var path = options.Path;
        var delimiter = options.Delimiter[0];
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine() ?? throw new DataFormatException(path, 0, null, "the file is empty; expected a header line naming the columns.");
        var names = CsvFields.Split(header.TrimEnd('\r'), delimiter).Select(n => n.Trim()).ToList();
        int Position(string name, string role) =>
            names.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
                ? i
                : throw new DataFormatException(path, 1, role, $"no column named '{name}' in the header ({string.Join(", ", names)}).");
        var id = Position(options.Id, "id");
        var shown = options.Display is { } d ? Position(d, "display") : -1;
        var columns = options.Columns.Select(c => (c.Name, Position(c.Name, c.Name))).ToList();
        var rows = new List<Row>();
        string? text;
        long number = 1;
        while ((text = reader.ReadLine()) is not null)
        {
            number++;
            text = text.TrimEnd('\r');
            if (text.Length == 0)
            {
                continue;
            }

            var fields = CsvFields.Split(text, delimiter);
            if (fields.Count != names.Count)
            {
                throw new DataFormatException(path, number, null, $"expected {names.Count} fields separated by '{delimiter}' as in the header, found {fields.Count}.");
            }

            var key = fields[id].Trim();
            if (key.Length == 0)
            {
                throw new DataFormatException(path, number, options.Id, "the id is empty.");
            }

            rows.Add(new Row(number, key, shown >= 0 ? fields[shown] : null, columns.ToDictionary(c => c.Name, c => (string?)fields[c.Item2], StringComparer.Ordinal)));
        }

        return rows;
    }

    private static List<Row> ReadJsonLines(FeatureFileOptions options)
    {
        var path = options.Path;
        var rows = new List<Row>();
        long number = 0;
        foreach (var text in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(text);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new DataFormatException(path, number, null, $"not a JSON object: {ConfigErrors.ParserMessage(ex)}");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DataFormatException(path, number, null, "each line must be a JSON object.");
            }

            string? Field(string name)
            {
                foreach (var property in root.EnumerateObject())
                {
                    if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return property.Value.ValueKind switch
                        {
                            JsonValueKind.Null => null,
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Array => string.Join('\u001F', property.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
                            _ => property.Value.GetRawText(),
                        };
                    }
                }

                return null;
            }

            var key = Field(options.Id)?.Trim();
            if (string.IsNullOrEmpty(key))
            {
                throw new DataFormatException(path, number, options.Id, "the id is missing or empty.");
            }

            rows.Add(new Row(number, key, options.Display is { } d ? Field(d) : null, options.Columns.ToDictionary(c => c.Name, c => Field(c.Name), StringComparer.Ordinal)));
        }

        return rows;
    }

    /// <summary>Features row by row (in file order), encoded as the fitted <see cref="FeatureEncoder"/> says.</summary>
    private static (FeatureMatrix Features, FeatureEncoder Encoder) Build(FeatureFileOptions options, List<Row> rows)
    {
        var encoder = FeatureEncoder.Fit(options.Columns, rows.Count, (r, column) => rows[r].Values[column], r => rows[r].Line, options.Path);
        var triples = new List<(int Row, string Column, float Value)>();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            foreach (var (column, value) in encoder.Encode(name => row.Values[name]))
            {
                triples.Add((r, column, value));
            }
        }

        return (FeatureMatrix.FromTriples(rows.Count, triples), encoder);
    }

    /// <summary>
    /// The table's features on the rows of <paramref name="map"/>: rows of ids the map lacks are added to it when
    /// <paramref name="extend"/> is set (users or items with features but no interactions: the cold-start ones), and
    /// counted either way.
    /// </summary>
    public static (FeatureMatrix Features, string?[] Display, int NotInMap) Align(FeatureTable table, IdMap map, bool extend)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(map);
        var rowOf = new int[table.Ids.Count];
        var notInMap = 0;
        for (var r = 0; r < table.Ids.Count; r++)
        {
            if (!map.TryGetIndex(table.Ids[r], out rowOf[r]))
            {
                notInMap++;
                rowOf[r] = extend ? map.GetOrAdd(table.Ids[r]) : -1;
            }
        }

        var display = new string?[map.Count];
        var triples = new List<(int, string, float)>();
        var source = table.Features.Values;
        for (var r = 0; r < table.Ids.Count; r++)
        {
            if (rowOf[r] < 0)
            {
                continue;
            }

            display[rowOf[r]] = table.Display[r];
            var columns = source.RowColumns(r);
            var values = source.RowValues(r);
            for (var c = 0; c < columns.Length; c++)
            {
                triples.Add((rowOf[r], table.Features.Columns[columns[c]], values[c]));
            }
        }

        return (FeatureMatrix.FromTriples(map.Count, triples.OrderBy(t => t.Item1), table.Features.Columns), display, notInMap);
    }
}
