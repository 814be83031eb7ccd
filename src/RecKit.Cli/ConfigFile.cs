using System.Text.Json;
using System.Text.Json.Nodes;
using RecKit.Models;

namespace RecKit.Cli;

/// <summary>
/// The JSON config file (comments allowed): settings per section, read once; command-line flags override it.
/// Without --config, ./reckit.json is used when it exists; <see cref="Describe"/> says which, and every command that
/// reads a config prints it.
/// </summary>
internal sealed class ConfigFile
{
    public const string DefaultName = "reckit.json";
    private readonly JsonObject _root;
    private readonly bool _implicit;

    private ConfigFile(JsonObject root, string? path, bool isImplicit)
    {
        _root = root;
        Path = path;
        _implicit = isImplicit;
    }

    public string? Path { get; }

    public static ConfigFile Load(string? path)
    {
        var isImplicit = path is null;
        path ??= File.Exists(DefaultName) ? DefaultName : null;
        if (path is null)
        {
            return new ConfigFile([], null, true);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Config file '{path}' not found.");
        }

        try
        {
            var text = File.ReadAllText(path);
            if (FirstDuplicateKey(text) is var (key, line))
            {
                throw new ArgumentException($"Config file {path}, line {line}: the key '{key}' is given twice in one section (one of them would be ignored).");
            }

            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false }); // a key twice: one would be ignored
            return new ConfigFile(node as JsonObject ?? throw new JsonException("the top level must be an object."), path, isImplicit);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Config file {path}{(ex.LineNumber is { } line ? $", line {line + 1}" : string.Empty)}: {ConfigErrors.ParserMessage(ex)}", ex);
        }
    }

    /// <summary>The first key an object of the file gives twice, and its line (the parser names the key but not where).</summary>
    private static (string Key, int Line)? FirstDuplicateKey(string text)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var open = new Stack<HashSet<string>?>(); // per open object its keys so far; null for an array
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    open.Push(new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.StartArray:
                    open.Push(null);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    break;
                case JsonTokenType.PropertyName when open.Peek() is { } keys && !keys.Add(reader.GetString()!):
                    return (reader.GetString()!, 1 + json.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n'));
            }
        }

        return null;
    }

    /// <summary>One line saying which settings are in force: the file named, the one found in the working folder, or none.</summary>
    public string Describe() => Path is null
        ? $"config: none (no --config, no ./{DefaultName}): built-in defaults"
        : _implicit ? $"config: {System.IO.Path.GetFullPath(Path)} (found in the working folder; --config FILE to choose another)" : $"config: {Path}";

    /// <summary>A copy of the whole file (empty without one), for a command that writes a changed config.</summary>
    public JsonObject Copy() => (JsonObject)_root.DeepClone();

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

    /// <summary>The service's section ("serve", read by reckit serve and reckit retrain); null when the file has none.</summary>
    public JsonObject? Serve => _root.TryGetPropertyValue(ServeSection, out var node) ? node as JsonObject ?? throw new ArgumentException($"Config {Path}: 'serve' must be an object.") : null;

    public const string ServeSection = "serve";

    /// <summary>Reads the whole file but the service's section as a typed record, rejecting unknown keys.</summary>
    public T ReadRoot<T>()
        where T : new()
    {
        var job = (JsonObject)_root.DeepClone();
        job.Remove(ServeSection);
        return Deserialize<T>(job, []);
    }

    /// <summary>Reads a section as a typed record, rejecting unknown keys.</summary>
    public T Read<T>(params string[] keys)
        where T : new() => Deserialize<T>(Section(keys), keys);

    private T Deserialize<T>(JsonObject node, string[] prefix)
        where T : new()
    {
        try
        {
            return node.Deserialize<T>(StrictJson.Options) ?? new T();
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Config {Path ?? "(defaults)"}: {ConfigErrors.Explain(ex, typeof(T), prefix)}", ex);
        }
    }
}
