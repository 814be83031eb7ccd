using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecKit;

/// <summary>
/// How RecKit reads every settings document (config files, model options, a bundle's stored config): camelCase,
/// case-insensitive, comments and trailing commas allowed, enums by name, and unknown keys rejected so that a misspelt
/// setting is an error, not a silent default.
/// </summary>
public static class StrictJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };
}
