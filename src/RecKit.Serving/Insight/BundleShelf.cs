using System.Text.Json;
using RecKit.Bundles;

namespace RecKit.Serving;

/// <summary>A bundle on disk as its manifest describes it, or why its manifest could not be read.</summary>
public sealed record ShelvedBundle(string Version, BundleManifest? Manifest, bool Current, bool Serving, string? Problem);

/// <summary>
/// The bundles in a bundle root, newest first, read from their manifests only (no model is loaded): which one
/// "current" names, which one serves, their creation times, data fingerprints and offline metrics side by side.
/// </summary>
public static class BundleShelf
{
    public static IReadOnlyList<ShelvedBundle> List(string root, string servingVersion)
    {
        var store = new BundleStore(root);
        var current = store.CurrentVersion();
        var shelf = new List<ShelvedBundle>();
        foreach (var version in store.Versions().Reverse())
        {
            var path = Path.Combine(store.PathOf(version), "manifest.json");
            BundleManifest? manifest = null;
            string? problem = null;
            try
            {
                manifest = File.Exists(path)
                    ? JsonSerializer.Deserialize<BundleManifest>(File.ReadAllText(path), BundleManifest.Json)
                    : null;
                problem = manifest is null ? "no manifest.json: an incomplete bundle" : null;
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                problem = $"manifest.json unreadable: {ex.Message}";
            }

            shelf.Add(new ShelvedBundle(version, manifest, version == current, version == servingVersion, problem));
        }

        return shelf;
    }
}
