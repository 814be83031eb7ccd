using System.Text.Json;
using System.Text.Json.Serialization;
using RecKit.Persistence;

using RecKit.IO;

namespace RecKit.Cli;

/// <summary>Writes command results as indented JSON, atomically.</summary>
internal static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Write<T>(string path, T value)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");
    }
}
