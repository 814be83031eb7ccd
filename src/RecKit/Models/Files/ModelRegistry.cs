using RecKit.Models;

using RecKit.Persistence;

namespace RecKit.Models;

/// <summary>Which model kinds a model file may hold, and how to read each (kind, payload version).</summary>
public static class ModelRegistry
{
    // The readers come from the model definitions: a new model's file kind is registered where the model is defined.
    private static readonly Dictionary<string, Func<ModelReader, int, IRecommender>> Readers =
        ModelDefinitions.FileKinds.ToDictionary(k => k.Kind, k => k.Read, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Kinds => Readers.Keys;

    internal static IRecommender Read(string kind, int version, ModelReader reader, string source) =>
        Readers.TryGetValue(kind, out var read)
            ? read(reader, version)
            : throw new ModelFormatException($"{source}: unknown model kind '{kind}' (this RecKit reads: {string.Join(", ", Readers.Keys)}).");

    /// <summary>Rejects a payload version a reader does not know, with a message that says which it knows.</summary>
    public static void RequireVersion(string kind, int version, int supported)
    {
        if (version != supported)
        {
            throw new ModelFormatException($"'{kind}' model payload version {version} is not supported (this RecKit reads version {supported}).");
        }
    }
}
