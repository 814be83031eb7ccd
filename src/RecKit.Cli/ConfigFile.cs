using System.Text.Json.Nodes;
using System.Text.Json;
using RecKit.Models;

namespace RecKit.Cli;

/// <summary>
/// The JSON config file (comments allowed): settings per section, read once; command-line flags override it.
/// Without --config, ./reckit.json is used when it exists.
/// </summary>
internal sealed class ConfigFile
{
    public const string DefaultName = "reckit.json";
    private readonly JsonObject _root;

    private ConfigFile(JsonObject root, string? path)
    {
        _root = root;
        Path = path;
    }

    public string? Path { get; }

    public static ConfigFile Load(string? path)
    {
        path ??= File.Exists(DefaultName) ? DefaultName : null;
        if (path is null)
        {
            return new ConfigFile([], null);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Config file '{path}' not found.");
        }

        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return new ConfigFile(node as JsonObject ?? throw new JsonException("the top level must be an object."), path);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Config file '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>A copy of a section (e.g. "training", or "models" then a model name), empty when absent.</summary>
    public JsonObject Section(params string[] keys)
    {
        JsonNode? node = _root;
        foreach (var key in keys)
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(key, out var child) ? child : null;
        }

        return node is JsonObject found ? (JsonObject)found.DeepClone() : [];
    }

    /// <summary>Reads the whole file as a typed record, rejecting unknown keys.</summary>
    public T ReadRoot<T>()
        where T : new()
    {
        try
        {
            return _root.Deserialize<T>(ModelCatalog.StrictJson) ?? new T();
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Config {Path}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a section as a typed record, rejecting unknown keys.</summary>
    public T Read<T>(params string[] keys)
        where T : new()
    {
        var section = Section(keys);
        try
        {
            return section.Deserialize<T>(ModelCatalog.StrictJson) ?? new T();
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Config {Path} section '{string.Join('.', keys)}': {ex.Message}", ex);
        }
    }
}
