using System.Reflection;
using NetArchTest.Rules;

namespace RecKit.Tests.Architecture;

/// <summary>
/// Dependencies point one way: each layer of the library may use the layers below it and never one above. The
/// layers are namespaces across RecKit's assemblies (README, Layout); a change that makes a lower layer reference a
/// higher one fails here with the offending types named.
/// </summary>
public class LayerTests
{
    /// <summary>Bottom to top. The root namespace (settings checks, strict JSON) and RecKit.IO sit below everything.</summary>
    public static readonly string[] Layers =
    [
        "RecKit.IO",
        "RecKit.Data",
        "RecKit.Kernels",
        "RecKit.Persistence",
        "RecKit.Models",
        "RecKit.Evaluation",
        "RecKit.Training",
        "RecKit.Tuning",
        "RecKit.Ranking",
        "RecKit.Bundles",
        "RecKit.Pipeline",
        "RecKit.Serving",
        "RecKit.Cluster",
        "RecKit.Reports",
        "RecKit.Server",
        "RecKit.Cli",
    ];

    private static readonly Assembly[] Library =
    [
        typeof(RecKit.Data.Interactions).Assembly,
        typeof(RecKit.Ranking.LightGbmStack).Assembly,
        typeof(RecKit.Pipeline.MainJob).Assembly,
        typeof(RecKit.Serving.RecommendationService).Assembly,
        typeof(RecKit.Cluster.GrainLiveUserState).Assembly,
        typeof(RecKit.Reports.MainJobReports).Assembly,
        typeof(RecKit.Server.ServerApp).Assembly,
        typeof(RecKit.Cli.CliRoot).Assembly,
    ];

    public static TheoryData<string> LayerNames() => [.. Layers];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Layer_DependsOnNoHigherLayer(string layer)
    {
        var higher = Layers.SkipWhile(l => l != layer).Skip(1).ToArray();
        if (higher.Length == 0)
        {
            return;
        }

        Assert.NotEmpty(Types.InAssemblies(Library).That().ResideInNamespace(layer).GetTypes());
        var result = Types.InAssemblies(Library).That().ResideInNamespace(layer).ShouldNot().HaveDependencyOnAny(higher).GetResult();
        Assert.True(result.IsSuccessful, $"{layer} uses a higher layer in: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void TheCheck_SeesDependenciesThatExist()
    {
        // The control: serving does use models and data, and the rule above would name those types.
        var result = Types.InAssemblies(Library).That().ResideInNamespace("RecKit.Serving").ShouldNot().HaveDependencyOnAny("RecKit.Models", "RecKit.Data").GetResult();
        Assert.False(result.IsSuccessful);
        Assert.Contains("RecKit.Serving.LiveScorer", result.FailingTypeNames);
    }

    [Fact]
    public void RootNamespace_DependsOnNoLayer()
    {
        var result = Types.InAssemblies(Library).That().ResideInNamespaceMatching("^RecKit$").ShouldNot().HaveDependencyOnAny(Layers).GetResult();
        Assert.True(result.IsSuccessful, $"the root namespace uses a layer in: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void EveryNamespace_IsALayer()
    {
        var namespaces = Library.SelectMany(a => a.GetTypes()).Select(t => t.Namespace).Where(n => n is not null && n.StartsWith("RecKit", StringComparison.Ordinal)).Distinct();
        Assert.All(namespaces, n => Assert.True(n == "RecKit" || Layers.Any(l => n == l || n!.StartsWith(l + ".", StringComparison.Ordinal)), $"{n} is in no layer"));
    }

    [Theory]
    [InlineData("Microsoft.ML")]
    [InlineData("LightGBM")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Microsoft.AspNetCore")]
    public void TheCoreLibrary_DoesNotReferenceHeavyPackages(string package)
    {
        var core = typeof(RecKit.Data.Interactions).Assembly;
        Assert.DoesNotContain(core.GetReferencedAssemblies(), a => a.Name!.StartsWith(package, StringComparison.Ordinal));
    }
}
