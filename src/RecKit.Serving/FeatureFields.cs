using System.Globalization;
using System.Text.Json;
using RecKit.Data;

namespace RecKit.Serving;

/// <summary>
/// A request's features object read as a features file's fields and checked against a bundle's schema: every key a
/// declared column, every value a string, number, boolean, null or array of those (a multi-valued field), and every
/// value encodable (a number in a numeric column). Each problem is a <see cref="RequestFieldException"/> naming
/// "features.COLUMN".
/// </summary>
internal static class FeatureFields
{
    public static Dictionary<string, string?> Read(FeatureSchema? schema, IReadOnlyDictionary<string, JsonElement>? features, string field, string noSchema)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (features is null || features.Count == 0)
        {
            return fields;
        }

        if (schema is null)
        {
            throw new RequestFieldException(field, noSchema + ".");
        }

        var declared = schema.Encoder.Columns;
        foreach (var (key, value) in features)
        {
            var column = declared.FirstOrDefault(c => string.Equals(c.Name, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new RequestFieldException($"{field}.{RequestFieldException.Echo(key)}", $"not a feature of this catalogue; its features are: {string.Join(", ", declared.Select(c => c.Name))}.");
            var path = $"{field}.{column.Name}";
            var text = Text(value, path);
            try
            {
                new FeatureEncoder { Columns = [column] }.Encode(_ => text);
            }
            catch (FormatException ex)
            {
                throw new RequestFieldException(path, ex.Message);
            }

            fields[column.Name] = text;
        }

        return fields;
    }

    private static string? Text(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
        JsonValueKind.Array => string.Join('\u001F', value.EnumerateArray().Select((v, j) => v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new RequestFieldException($"{path}[{j}]", "a multi-valued feature holds strings or numbers."),
        })),
        _ => throw new RequestFieldException(path, "a feature is a string, a number, a boolean, null or an array of strings or numbers."),
    };
}
