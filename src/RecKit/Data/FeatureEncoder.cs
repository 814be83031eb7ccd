using System.Globalization;
using System.Text;

namespace RecKit.Data;

/// <summary>
/// How one features file's columns became named features, kept after the read so that a row seen later (an item
/// added to the catalogue while the service runs, a user's features updated) is encoded exactly as the file's rows
/// were: categorical and multi-valued values as indicators, numbers standardised with the file's mean and deviation,
/// text weighted by the file's document frequencies. Saved in a bundle (JSON) beside the feature column names.
/// </summary>
public sealed record FeatureEncoder
{
    /// <summary>The encoded columns in declaration order.</summary>
    public required IReadOnlyList<EncodedColumn> Columns { get; init; }

    /// <summary>Fits the encoding of <paramref name="columns"/> on every row's raw fields (<paramref name="field"/>: row, column → text or null).</summary>
    public static FeatureEncoder Fit(IReadOnlyList<FeatureColumn> columns, int rows, Func<int, string, string?> field, Func<int, long> line, string path)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(line);
        var encoded = new List<EncodedColumn>(columns.Count);
        foreach (var column in columns)
        {
            var entry = new EncodedColumn { Name = column.Name, Kind = column.Kind, Weight = column.Weight, Separator = column.Separator };
            if (column.Kind == FeatureKind.Numeric)
            {
                var present = new List<double>();
                for (var r = 0; r < rows; r++)
                {
                    if (Number(field(r, column.Name), out var v, out var problem))
                    {
                        present.Add(v);
                    }
                    else if (problem is not null)
                    {
                        throw new DataFormatException(path, line(r), column.Name, problem);
                    }
                }

                var mean = present.Count > 0 ? present.Average() : 0;
                var deviation = present.Count > 1 ? Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / (present.Count - 1)) : 0;
                entry = entry with { Mean = mean, Deviation = deviation };
            }
            else if (column.Kind == FeatureKind.Text)
            {
                var documents = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var r = 0; r < rows; r++)
                {
                    foreach (var word in Words(field(r, column.Name)).Keys)
                    {
                        documents[word] = documents.GetValueOrDefault(word) + 1;
                    }
                }

                entry = entry with { Rows = rows, DocumentFrequencies = documents };
            }

            encoded.Add(entry);
        }

        return new FeatureEncoder { Columns = encoded };
    }

    /// <summary>MovieLens genres: one multi-valued column whose values are the feature names themselves ("Comedy").</summary>
    public static FeatureEncoder Labels(string name, string separator) =>
        new() { Columns = [new EncodedColumn { Name = name, Kind = FeatureKind.Multi, Separator = separator, Bare = true }] };

    /// <summary>
    /// The named features of one row (<paramref name="field"/>: column → text, or null when absent). A value that is
    /// not a number in a numeric column is a <see cref="FormatException"/> saying what was expected.
    /// </summary>
    public List<(string Column, float Value)> Encode(Func<string, string?> field) => Encode(Columns, field);

    /// <summary>The names of one row's indicator features (categorical and multi-valued values: "genre=Rock", MovieLens' "Comedy"): its labels.</summary>
    public List<string> LabelsOf(Func<string, string?> field) =>
        [.. Encode(Columns.Where(c => c.Kind is FeatureKind.Categorical or FeatureKind.Multi), field).Select(f => f.Column)];

    /// <summary>A row's fields by column name, matched case-insensitively as the file reader matches JSON keys.</summary>
    public static Func<string, string?> Lookup(IReadOnlyDictionary<string, string?> fields)
    {
        var byName = new Dictionary<string, string?>(fields, StringComparer.OrdinalIgnoreCase);
        return name => byName.GetValueOrDefault(name);
    }

    private static List<(string Column, float Value)> Encode(IEnumerable<EncodedColumn> columns, Func<string, string?> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var features = new List<(string, float)>();
        foreach (var column in columns)
        {
            var text = field(column.Name);
            switch (column.Kind)
            {
                case FeatureKind.Categorical:
                    if (text?.Trim() is { Length: > 0 } value)
                    {
                        features.Add((column.Named(value), column.Weight));
                    }

                    break;
                case FeatureKind.Multi:
                    foreach (var one in (text ?? "").Split([column.Separator, "\u001F"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal))
                    {
                        features.Add((column.Named(one), column.Weight));
                    }

                    break;
                case FeatureKind.Numeric:
                    if (Number(text, out var v, out var problem))
                    {
                        var z = column.Deviation > 0 ? (v - column.Mean) / column.Deviation : 0;
                        if (z != 0)
                        {
                            features.Add((column.Name, (float)z * column.Weight));
                        }
                    }
                    else if (problem is not null)
                    {
                        throw new FormatException(problem);
                    }
                    else
                    {
                        features.Add(($"{column.Name}:missing", column.Weight));
                    }

                    break;
                default:
                    var frequencies = column.DocumentFrequencies ?? new Dictionary<string, int>();
                    foreach (var (word, count) in Words(text).OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        // A word the file never held has no column in the models; one it held keeps the file's idf.
                        if (frequencies.TryGetValue(word, out var documents) && documents > 0)
                        {
                            var idf = Math.Log(1 + ((double)column.Rows / documents));
                            features.Add(($"{column.Name}:{word}", (float)(count * idf) * column.Weight));
                        }
                    }

                    break;
            }
        }

        return features;
    }

    /// <summary>A number, or false: with a problem when the text is not one, without one when the value is missing.</summary>
    private static bool Number(string? raw, out double value, out string? problem)
    {
        value = 0;
        problem = null;
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text) || text is "NA" or "null")
        {
            return false;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            problem = $"expected a number (or an empty field for a missing value), found '{text}'.";
            return false;
        }

        return true;
    }

    internal static Dictionary<string, int> Words(string? text)
    {
        var bag = new Dictionary<string, int>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var c in (text ?? "") + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                var w = word.ToString();
                bag[w] = bag.GetValueOrDefault(w) + 1;
                word.Clear();
            }
        }

        return bag;
    }
}

/// <summary>One column of a <see cref="FeatureEncoder"/>: its declaration and what the file taught about it.</summary>
public sealed record EncodedColumn
{
    public required string Name { get; init; }

    public FeatureKind Kind { get; init; }

    public float Weight { get; init; } = 1f;

    public string Separator { get; init; } = "|";

    /// <summary>Values name their features alone ("Comedy"), not "column=value" (MovieLens genres).</summary>
    public bool Bare { get; init; }

    /// <summary>Numeric: the file's mean and sample deviation.</summary>
    public double Mean { get; init; }

    public double Deviation { get; init; }

    /// <summary>Text: the rows of the file and how many held each word.</summary>
    public int Rows { get; init; }

    public IReadOnlyDictionary<string, int>? DocumentFrequencies { get; init; }

    internal string Named(string value) => Bare ? value : $"{Name}={value}";
}
