using System.Text.Json;
using RecKit.Data;
using RecKit.Data.Demo;

namespace RecKit.Tests;

/// <summary>The generated tag catalogue (<see cref="TaggedCatalogue"/>, seed 7) written to a folder and loaded as the main job would: plays as counts, tags as a multi-valued item feature.</summary>
internal static class TaggedTestCatalogue
{
    public static Catalogue Load(string folder, double tagSignal, int userCount, int itemCount)
    {
        TaggedCatalogue.Write(folder, TaggedCatalogue.Generate(seed: 7, userCount, itemCount, tagSignal));
        return Catalogue.Load(JsonSerializer.Deserialize<CatalogueDescription>($$"""
            {
              "format": "Delimited", "path": "{{Path.Combine(folder, "plays.csv").Replace("\\", "/", StringComparison.Ordinal)}}",
              "user": "user_id", "item": "item_id", "value": "plays", "values": "Counts",
              "itemFeatures": { "path": "{{Path.Combine(folder, "items.csv").Replace("\\", "/", StringComparison.Ordinal)}}", "id": "item_id",
                                "columns": [ { "name": "tags", "kind": "Multi", "separator": "|" } ] }
            }
            """, StrictJson.Options)!);
    }
}
