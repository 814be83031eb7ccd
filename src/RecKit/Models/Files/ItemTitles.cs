using System.Text.Json;

namespace RecKit.Models;

/// <summary>
/// Item display names (titles) carried in a model file's metadata, aligned to its item map, so that every list printed
/// from a saved model names the items as the main job does, without the catalogue file.
/// </summary>
public static class ItemTitles
{
    public const string MetadataKey = "itemTitles";

    /// <summary>The titles as one metadata entry (a JSON array, null where an item has none).</summary>
    public static KeyValuePair<string, string> ToMetadata(IReadOnlyList<string?> titles) =>
        new(MetadataKey, JsonSerializer.Serialize(titles));

    /// <summary>The titles a model file carries, or null when it has none (or they do not match its items).</summary>
    public static IReadOnlyList<string?>? FromMetadata(SavedModel saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        if (!saved.Metadata.TryGetValue(MetadataKey, out var json))
        {
            return null;
        }

        var titles = JsonSerializer.Deserialize<string?[]>(json);
        return titles is not null && titles.Length == saved.Items.Count ? titles : null;
    }

    /// <summary>"Title (id)" when a title is known, else the id.</summary>
    public static string Describe(IReadOnlyList<string?>? titles, Data.IdMap items, int item) =>
        titles?[item] is { } title ? $"{title} ({items[item]})" : items[item];
}
