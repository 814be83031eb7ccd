using System.Text.Json.Nodes;
using RecKit.Server;

namespace RecKit.Tests.Server;

/// <summary>The service's one configuration: the file's "serve" section, then the environment, then the command line, every key checked with its path.</summary>
[Collection("Console")] // sets environment variables
public sealed class ServeConfigurationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("reckit-serve-config-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("RECKIT__MAXK", null);
        Directory.Delete(_root, recursive: true);
    }

    private JsonObject Serve(string json)
    {
        var serve = JsonNode.Parse(json)!.AsObject();
        serve["bundleRoot"] = _root;
        return serve;
    }

    [Fact]
    public void TheFileSection_GivesEverySetting_ExperimentsAndFeedbackTypesIncluded()
    {
        var settings = ServeConfiguration.Read(Serve("""
            { "maxK": 40, "requireKeyForIngest": true, "apiKey": "k", "rateLimitPerSecond": 7,
              "feedbackTypes": { "interaction": 1, "skip": -1 },
              "experiment": { "name": "e2", "salt": "s", "control": "b", "arms": [ { "name": "a", "variant": "als", "weight": 1 }, { "name": "b", "variant": "itemknn", "weight": 3 } ] } }
            """), []);
        Assert.Equal(40, settings.MaxK);
        Assert.True(settings.RequireKeyForIngest);
        Assert.Equal(7, settings.RateLimitPerSecond);
        Assert.True(settings.ToServiceOptions().FeedbackTypes.IsNegative("skip"));
        Assert.Equal("b", settings.Experiment!.ControlArm.Name);
        Assert.Equal(3, settings.Experiment.Arms[1].Weight);
    }

    [Fact]
    public void TheEnvironment_OverridesTheFile_AndTheCommandLineOverridesBoth()
    {
        Environment.SetEnvironmentVariable("RECKIT__MAXK", "30");
        Assert.Equal(30, ServeConfiguration.Read(Serve("""{ "maxK": 40 }"""), []).MaxK);
        Assert.Equal(20, ServeConfiguration.Read(Serve("""{ "maxK": 40 }"""), ["--RecKit:MaxK=20"]).MaxK);
    }

    [Theory]
    [InlineData("""{ "maxk2": 1 }""", "'serve.maxk2' is unknown; known: bundleRoot")]
    [InlineData("""{ "maxK": "many" }""", "'serve.maxK': 'many' is not a whole number")]
    [InlineData("""{ "requireKeyForIngest": "yes" }""", "'serve.requireKeyForIngest': 'yes' is not true or false")]
    [InlineData("""{ "experiment": { "arms": [ { "name": "a", "variant": "als", "wieght": 1 } ] } }""", "'serve.experiment.arms[0].wieght' is unknown; known: name, variant, weight")]
    [InlineData("""{ "experiment": { "control": "z", "arms": [ { "name": "a", "variant": "als", "weight": 1 } ] } }""", "control 'z' is not one of its arms")]
    [InlineData("""{ "feedbackTypes": { "like": "lots" } }""", "'serve.feedbackTypes.like': 'lots' is not a number")]
    [InlineData("""{ "maxK": 0 }""", "'maxK' must be")]
    [InlineData("""{ "cluster": { "enabled": true, "redis": "127.0.0.1:6379" } }""", "'postgres' is needed in cluster mode")]
    [InlineData("""{ "postgres": "Host=127.0.0.1", "cluster": { "enabled": true } }""", "'cluster.redis' is needed")]
    [InlineData("""{ "postgres": "Host=127.0.0.1", "cluster": { "enabled": true, "redis": "127.0.0.1:6379", "probeSeconds": 0 } }""", "'cluster.probeSeconds' must be between 0.1 and 60")]
    [InlineData("""{ "postgres": "Host=127.0.0.1", "cluster": { "enabled": true, "redis": "127.0.0.1:6379", "missedProbes": 0 } }""", "cluster.missedProbes")]
    public void ABadSetting_IsRefusedBeforeAnythingStarts_NamingItsPath(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ServeConfiguration.Read(Serve(json), []));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("RecKit.", error.Message, StringComparison.Ordinal); // no internal type names
    }

    [Fact]
    public void AVariableNamedRecKitAlone_IsNotASetting()
    {
        Environment.SetEnvironmentVariable("RECKIT", "dotnet /opt/reckit/RecKit.Cli.dll"); // as a script would set it
        try
        {
            Assert.Equal(40, ServeConfiguration.Read(Serve("""{ "maxK": 40 }"""), []).MaxK);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RECKIT", null);
        }
    }

    [Fact]
    public void ACommandLineKey_IsCheckedLikeAFileKey()
    {
        var error = Assert.Throws<ArgumentException>(() => ServeConfiguration.Read(Serve("{}"), ["--RecKit:Experiment:Nmae=x"]));
        Assert.Contains("'serve.experiment.Nmae' is unknown", error.Message, StringComparison.Ordinal);
    }
}
