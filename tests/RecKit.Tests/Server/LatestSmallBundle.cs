using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;
using RecKit.Ranking;
using RecKit.Serving;

using RecKit.Bundles;

namespace RecKit.Tests.Server;

/// <summary>
/// A real production bundle trained on ml-latest-small through the library (item-kNN, ALS, genre content, popularity;
/// the logistic and GBStack stacks from a real stacking run), written once per test run into a temporary root.
/// </summary>
public static class LatestSmallBundle
{
    private static readonly Lazy<(BundleContent Content, string Root)> Built = new(Build);

    public static BundleContent Content => Built.Value.Content;

    /// <summary>The bundle as built (v0001), for tests that only read it.</summary>
    public static string Folder => Path.Combine(Built.Value.Root, "v0001");

    /// <summary>A fresh bundle root holding v0001 (a copy of the one built), for a test that changes its root.</summary>
    public static string NewRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), $"reckit-serve-{Guid.NewGuid():N}");
        var source = Built.Value.Root;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return root;
    }

    public static JsonObject AlsOptions => new() { ["factors"] = 32, ["iterations"] = 8 };

    private static (BundleContent, string) Build()
    {
        var catalogue = Catalogue.Load(new CatalogueDescription { Path = TestData.LatestSmall });
        var data = catalogue.Data;
        var genres = catalogue.ItemFeatures!.Values;
        IRecommender Fit(string name, Interactions train) => name switch
        {
            "itemknn" => new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 50 }).Fit(train),
            "als" => ModelSpec.Read("als", AlsOptions).Fit(new ModelInputs(train)),
            "genre" => new ContentTrainer(genres).Fit(train),
            _ => new PopularityTrainer().Fit(train),
        };

        IReadOnlyList<(string, int)> candidates = [("itemknn", 50), ("als", 50), ("popularity", 20), ("genre", 20)];
        var report = StackExperiment.Run(
            Splitter.ThreeWay(data, 42),
            new[] { "itemknn", "als", "genre" }.Select(n => (n, (Func<Interactions, IRecommender>)(t => Fit(n, t)))).ToList(),
            new StackExperimentOptions { Trees = 30, Candidates = candidates, AverageOf = ["itemknn", "als"] });
        var content = RecKit.Pipeline.ProductionBundle.Build(report, data, Fit, n => n == "als" ? AlsOptions : null, candidates, 10, null) with
        {
            Titles = catalogue.Titles,
            Labels = catalogue.ItemFeatures.LabelsPerRow(),
            RelevanceThreshold = 4,
            ItemSchema = FeatureSchema.Of(catalogue.ItemEncoder, catalogue.ItemFeatures),
        };
        var root = Path.Combine(Path.GetTempPath(), $"reckit-latest-small-bundle-{Environment.ProcessId}");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        new BundleStore(root).Write(content);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return (content, root);
    }
}
