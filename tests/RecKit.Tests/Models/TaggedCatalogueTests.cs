using RecKit.Data;
using RecKit.Data.Demo;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;

namespace RecKit.Tests.Models;

/// <summary>
/// Choices that must hold on catalogues unlike the shipped ones (TaggedCatalogue): where the tags carry all the taste, the
/// two-tower's chosen content weight must bring new items up to the content model (a fixed weight does not); where the
/// features carry none, the two-tower must stay level with ALS on known items.
/// </summary>
public sealed class TaggedCatalogueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-tagged-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Catalogue Load(double tagSignal) =>
        TaggedTestCatalogue.Load(Path.Combine(_dir, tagSignal.ToString(System.Globalization.CultureInfo.InvariantCulture)), tagSignal, userCount: 1200, itemCount: 900);

    private static double ColdNdcg(IRecommender model, Split split, IReadOnlySet<int> cold) =>
        Evaluator.Evaluate(new ItemSubsetRecommender(model, cold), split.Train, split.Test, new EvaluationOptions { Ks = [10], ComputeAuc = false })["NDCG@10"];

    [Fact]
    public void WhereTagsCarryTheTaste_TheChosenContentWeight_BringsNewItemsUpToTheContentModel()
    {
        var catalogue = Load(tagSignal: 1);
        var features = catalogue.ItemFeatures!.Values;
        var (split, cold) = Splitter.HoldOut(catalogue.Data, items: true, 0.1, seed: 42);
        var content = ModelSpec.Read("content", null).Fit(new ModelInputs(split.Train) { ItemFeatures = features });
        TwoTowerOptions options = new() { Factors = 32, Epochs = 8 };
        var chosen = new TwoTowerTrainer(null, features, options with { TuneContentWeight = true }, EvaluatorJudge.Instance).Fit(split.Train);
        var fixedHalf = new TwoTowerTrainer(null, features, options with { ContentWeight = 0.5 }).Fit(split.Train);

        var (c, t, f) = (ColdNdcg(content, split, cold), ColdNdcg(chosen, split, cold), ColdNdcg(fixedHalf, split, cold));
        var figures = $"content {c:F4}, two-tower chosen (weight {chosen.ContentWeight}) {t:F4}, fixed 0.5 {f:F4}";
        Assert.True(t >= c - 0.005, figures);
        Assert.True(t > f + 0.01, figures); // the weight that suited the shipped catalogues does not suit this one
    }

    [Fact]
    public void WhereFeaturesCarryNothing_TheTwoTower_StaysLevelWithAlsOnKnownItems()
    {
        var catalogue = Load(tagSignal: 0);
        var split = Splitter.PerUser(catalogue.Data, 0.2, 42);
        var options = new EvaluationOptions { Ks = [10], ComputeAuc = false };
        var als = new AlsTrainer(new AlsOptions { Factors = 32, Iterations = 8 }).Fit(split.Train);
        var towers = new TwoTowerTrainer(null, catalogue.ItemFeatures!.Values, new TwoTowerOptions { Factors = 32, Epochs = 8 }).Fit(split.Train);
        var (a, t) = (Evaluator.Evaluate(als, split.Train, split.Test, options)["NDCG@10"], Evaluator.Evaluate(towers, split.Train, split.Test, options)["NDCG@10"]);
        Assert.True(t >= 0.95 * a, $"two-tower {t:F4}, ALS {a:F4}");
    }
}
