using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace RecKit;

/// <summary>Turns JSON settings errors into the words of the config file: key paths and expected kinds, no .NET type names.</summary>
public static class ConfigErrors
{
    /// <summary>
    /// A JSON parser's message on one line, without its path and position suffix (the caller names the line): the parser quotes the offending character,
    /// which may itself be a line break, so line breaks are shown escaped.
    /// </summary>
    public static string ParserMessage(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Message.Split([" Path:", " LineNumber:"], StringSplitOptions.None)[0].Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// A serializer error in the config's words: the key path (split.seed) and what it should hold ("a whole
    /// number"), or the unknown key with the keys its section accepts; never a .NET type name.
    /// </summary>
    public static string Explain(JsonException ex, Type root, IReadOnlyList<string> prefix)
    {
        var keys = prefix.Concat(PathKeys(ex.Path)).ToList();
        var unknown = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? ex.Message.Split('\'') is { Length: > 1 } parts ? parts[1] : null
            : null;
        if (unknown is not null && keys.LastOrDefault() != unknown)
        {
            keys.Add(unknown);
        }

        var shown = keys.Count == 0 ? "the top level" : $"'{string.Join('.', keys)}'";
        var (section, member) = Resolve(root, keys.Skip(prefix.Count).ToList());
        if (unknown is not null)
        {
            var accepted = section is null ? [] : Keys(section);
            return $"unknown key {shown}" + (accepted.Count > 0 ? $"; accepted here: {string.Join(", ", accepted)}." : ".");
        }

        return $"{shown} must be {Expected(member)}.";
    }

    private static IEnumerable<string> PathKeys(string? path) =>
        (path ?? "$").TrimStart('$').Split(['.', '['], StringSplitOptions.RemoveEmptyEntries)
            .Select(k => k.TrimEnd(']').Trim('\''))
            .Where(k => !int.TryParse(k, out _));

    /// <summary>The record type holding the last key, and that key's type (null when not found).</summary>
    private static (Type? Section, Type? Member) Resolve(Type root, IReadOnlyList<string> keys)
    {
        Type? section = root;
        Type? member = root;
        foreach (var key in keys)
        {
            section = member is null ? null : Element(member);
            var property = section?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
            member = property?.PropertyType;
        }

        return (section, member);
    }

    private static Type Element(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return type.GetGenericArguments()[1];
        }

        return type;
    }

    private static List<string> Keys(Type section) =>
        section.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList();

    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "a value of the right kind",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "text in quotes",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) => "an object of named values",
            _ when typeof(IEnumerable).IsAssignableFrom(type) => "a list [ ... ]",
            _ => "an object { ... }",
        };
    }
}
