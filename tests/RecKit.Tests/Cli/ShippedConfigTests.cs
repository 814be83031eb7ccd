using System.Text.Json.Nodes;
using RecKit.Cli;
using RecKit.Data.Demo;
using RecKit.Pipeline;

namespace RecKit.Tests.Cli;

/// <summary>
/// Every main-job config the repository ships loads and passes the checks `reckit run` makes before it reads data, so a
/// key the README tells people to run with cannot go stale unnoticed. Data paths are resolved as a run from the
/// repository root resolves them; the generated tag catalogue bench/tagged.json names is made first, small.
/// </summary>
public sealed class ShippedConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-configs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("reckit.json")]
    [InlineData("examples/music.json")]
    [InlineData("bench/ml100k-stack.json")]
    [InlineData("bench/tagged.json")]
    public void ShippedConfig_LoadsAndValidates(string file)
    {
        var generated = Path.Combine(_dir, "out-tagged");
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.RepoRoot, file)), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        var data = root["data"]!.AsObject();
        Resolve(data, generated);
        foreach (var features in new[] { "itemFeatures", "userFeatures" })
        {
            if (data[features] is JsonObject section)
            {
                Resolve(section, generated);
            }
        }

        root["output"] = new JsonObject { ["folder"] = Path.Combine(_dir, "out"), ["figures"] = Path.Combine(_dir, "fig"), ["recommendations"] = Path.Combine(_dir, "r.json") };
        var config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, root.ToJsonString());

        var settings = ConfigFile.Load(config).ReadRoot<MainJobSettings>();
        settings.Validate();

        Assert.NotEmpty(settings.BaseModels);
        Assert.True(File.Exists(settings.Data.Path) || Directory.Exists(settings.Data.Path), settings.Data.Path);
    }

    /// <summary>
    /// A relative "path" resolved against the repository root, or for out-tagged/ against the generated folder, which
    /// the first such path fills with a small tag catalogue.
    /// </summary>
    private static void Resolve(JsonObject section, string generated)
    {
        var path = section["path"]!.GetValue<string>();
        const string Tagged = "out-tagged/";
        if (!path.StartsWith(Tagged, StringComparison.Ordinal))
        {
            section["path"] = Path.GetFullPath(Path.Combine(TestData.RepoRoot, path));
            return;
        }

        if (!Directory.Exists(generated))
        {
            TaggedCatalogue.Write(generated, TaggedCatalogue.Generate(seed: 1, userCount: 50, itemCount: 40, tagSignal: 1));
        }

        section["path"] = Path.Combine(generated, path[Tagged.Length..]);
    }
}
