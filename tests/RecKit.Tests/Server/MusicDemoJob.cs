using System.Text.Json.Nodes;
using RecKit.Cli;

namespace RecKit.Tests.Server;

/// <summary>
/// A small main job on the shipped music demo (item-kNN and content, a 20-tree stack), run through the CLI as a user
/// runs it, so that its bundles can be retrained by `reckit retrain`; and the CLI a server starts to retrain.
/// </summary>
internal static class MusicDemoJob
{
    /// <summary>Runs the job with its output under <paramref name="dir"/>; returns the bundle root (holding v0001).</summary>
    public static string Run(string dir)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.RepoRoot, "examples", "music.json")), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        var data = root["data"]!.AsObject();
        data["path"] = Path.Combine(TestData.RepoRoot, "data", "music-demo", "plays.csv");
        data["itemFeatures"]!["path"] = Path.Combine(TestData.RepoRoot, "data", "music-demo", "items.csv");
        data["userFeatures"]!["path"] = Path.Combine(TestData.RepoRoot, "data", "music-demo", "users.csv");
        root["baseModels"] = new JsonArray("itemknn", "content");
        root["models"] = new JsonObject();
        root["stack"] = JsonNode.Parse("""{ "candidates": { "itemknn": 50, "popularity": 20, "content": 20 }, "averageOf": ["itemknn", "content"], "trees": 20 }""");
        root["coldStart"] = JsonNode.Parse("""{ "enabled": false }""");
        root["output"] = new JsonObject { ["folder"] = Path.Combine(dir, "out") };
        var config = Path.Combine(dir, "reckit.json");
        File.WriteAllText(config, root.ToJsonString());
        Assert.Equal(0, CommandRunner.Invoke(CliRoot.Create(), ["run", "--config", config]));
        return Path.Combine(dir, "out", "bundles");
    }

    /// <summary>The built reckit CLI (dotnet DLL), the command a server runs to retrain.</summary>
    public static string CliDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            return Path.Combine(TestData.RepoRoot, "src", "RecKit.Cli", "bin", configuration, "net10.0", "RecKit.Cli.dll");
        }
    }
}
