using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using RecKit.Cli;
using RecKit.Pipeline;

namespace RecKit.Tests.Properties;

/// <summary>
/// Random config files, from random bytes to well-formed JSON with the right keys and wrong values, are either
/// accepted or refused with one line in the config's words: never a crash, a stack trace or a .NET type name.
/// </summary>
public sealed class ConfigProperties : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-config-props-").FullName;
    private int _files;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(200);

    private static readonly string[] Keys =
    [
        "data", "path", "minUserInteractions", "minItemInteractions", "split", "seed", "testFraction", "metaFraction",
        "evaluation", "k", "threshold", "baseModels", "models", "als", "bpr", "mf", "itemknn", "two-tower", "genre",
        "factors", "epochs", "iterations", "learningRate", "alpha", "regularization", "neighbours", "weighting", "optimizer",
        "stack", "candidates", "averageOf", "trees", "leaves", "treeLearningRate", "lambdaMartL2", "metaSplits", "logisticL2", "coldStart", "enabled",
        "itemFraction", "production", "model", "topN", "unknownKey", "Seed", "",
    ];

    private static Gen<JsonNode?> Value(int depth) =>
        depth <= 0
            ? Leaf()
            : Gen.Frequency(
                (4, Leaf()),
                (2, Object(depth - 1).Select(o => (JsonNode?)o)),
                (1, Value(depth - 1).ListOf(4).Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))));

    private static Gen<JsonNode?> Leaf() =>
        Gen.OneOf(
            Gen.Elements<JsonNode?>(null, true, false, 0, 1, -1, -5, 2, 10, 1e9, -1e30, 0.5, 1.5, 64, int.MaxValue, "best", "als", "Bm25", "Hogwild", "", "abc", "x y"),
            Gen.Choose(-100, 1000).Select(i => (JsonNode?)JsonValue.Create(i / 10.0)),
            Gen.Elements(Keys).Select(k => (JsonNode?)JsonValue.Create(k)));

    private static Gen<JsonObject> Object(int depth) =>
        (from key in Gen.Elements(Keys)
         from value in Value(depth)
         select (key, value)).ListOf(5)
        .Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (key, value) in pairs)
            {
                o[key] = value?.DeepClone();
            }

            return o;
        });

    private string Write(string text)
    {
        var path = Path.Combine(_dir, $"c{Interlocked.Increment(ref _files)}.json");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <summary>Loads, reads and validates as `reckit run` does, with the outputs kept in the test folder.</summary>
    private void LoadOrExplain(string path, bool withRealData)
    {
        try
        {
            var settings = ConfigFile.Load(path).ReadRoot<MainJobSettings>();
            settings = settings with
            {
                Data = withRealData ? settings.Data with { Path = TestData.LatestSmall } : settings.Data,
                Output = new MainJobSettings.OutputSettings { Folder = Path.Combine(_dir, "out"), Figures = Path.Combine(_dir, "fig"), Recommendations = Path.Combine(_dir, "r.json") },
            };
            settings.Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or IOException)
        {
            Assert.DoesNotContain('\n', ex.Message);
            Assert.DoesNotContain("System.", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("RecKit.", ex.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }
    }

    [Fact]
    public void RandomJson_IsAcceptedOrRefusedInOneLine()
    {
        Prop.ForAll(Object(3).ToArbitrary(), root =>
        {
            LoadOrExplain(Write(root.ToJsonString()), withRealData: true);
            LoadOrExplain(Write(root.ToJsonString()), withRealData: false);
        }).Check(Runs);
    }

    [Fact]
    public void RandomText_IsRefusedInOneLine()
    {
        var text = Gen.Elements("{}[]\":,0123456789 abc-.eE\ntrue null/*".ToCharArray()).ArrayOf().Select(c => new string(c));
        Prop.ForAll(text.ToArbitrary(), t => LoadOrExplain(Write(t), withRealData: true)).Check(Runs);
    }
}
