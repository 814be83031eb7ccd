using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;
using RecKit.Ranking;
using RecKit.Serving;
using RecKit.Tests.Models;

using RecKit.Bundles;

namespace RecKit.Tests.Serving;

/// <summary>
/// One production bundle written from the synthetic data (popularity, bias, item-kNN, content, ALS, EASE; the logistic and
/// GBStack stacks from a real stacking run) into a temporary bundle root, with the in-memory pieces it came from.
/// </summary>
public sealed class BundleFixture : IDisposable
{
    public BundleFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"reckit-bundle-{Guid.NewGuid():N}");
        Data = TestData.WithTimestamps(TestData.Synthetic()); // timestamps: the stacks' rows end with the time columns
        var features = ContentModelTests.Features(Data.ItemCount);
        Labels = Enumerable.Range(0, Data.ItemCount).Select(i => (IReadOnlyList<string>)[i % 2 == 0 ? "genre=Even" : "genre=Odd"]).ToList();
        IRecommender Fit(string name, Interactions train) => name switch
        {
            "bias" => new BiasTrainer().Fit(train),
            "itemknn" => new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 20 }).Fit(train),
            "content" => new ContentTrainer(features).Fit(train),
            "als" => new AlsTrainer(AlsOptions).Fit(train),
            "ease" => new EaseTrainer().Fit(train),
            _ => new PopularityTrainer().Fit(train),
        };

        var names = new[] { "bias", "itemknn", "content", "als", "ease" };
        var report = StackExperiment.Run(
            Splitter.ThreeWay(Data, 42),
            names.Select(n => (n, (Func<Interactions, IRecommender>)(t => Fit(n, t)))).ToList(),
            new StackExperimentOptions { Trees = 10, Leaves = 4, Candidates = Candidates, AverageOf = ["itemknn", "als"] });
        Content = RecKit.Pipeline.ProductionBundle.Build(report, Data, Fit, n => n == "als" ? Options : null, Candidates, 10, null) with { Labels = Labels };
        Store = new BundleStore(Root);
        Version = Store.Write(Content);
        Bundle = ServingBundle.Load(Store.PathOf(Version));
    }

    public static AlsOptions AlsOptions { get; } = new() { Factors = 8, Iterations = 5, Regularization = 0.1 };

    public static JsonObject Options => new() { ["factors"] = 8, ["iterations"] = 5, ["regularization"] = 0.1 };

    public static IReadOnlyList<(string Source, int Size)> Candidates { get; } = [("itemknn", 15), ("als", 15), ("popularity", 10)];

    public string Root { get; }

    public Interactions Data { get; }

    public IReadOnlyList<IReadOnlyList<string>> Labels { get; }

    public BundleContent Content { get; }

    public BundleStore Store { get; }

    public string Version { get; }

    public ServingBundle Bundle { get; }

    /// <summary>The bundle's LogisticStack served with each model's scorer from <paramref name="scorerOf"/> (by model name).</summary>
    public StackRanker LogisticStack(Func<string, LiveScorer> scorerOf)
    {
        var scorers = Content.Models.ToDictionary(m => m.Name, m => scorerOf(m.Name));
        return new StackRanker(
            Content.MetaModels.Single(m => m.Name == "LogisticStack"),
            Content.StackFeatures.Where(f => f.StartsWith("score_", StringComparison.Ordinal)).Select(f => scorers[f[6..]]).ToList(),
            Content.Candidates.Select(c => (scorers[c.Source], c.Size)).ToList(),
            new PairStatistics(Data.ByUser, Data.HasRatings),
            Content.StackFeatures,
            TimeStatistics.Of(Data));
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
