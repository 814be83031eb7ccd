using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;
using RecKit.Tuning;

namespace RecKit.Tests.Tuning;

/// <summary>
/// ALS's α and λ chosen on held-out parts of the training data: on a catalogue where the defaults are wrong the choice
/// ranks a test part it never saw better; on the catalogue the defaults were tuned on it does not do worse.
/// </summary>
public sealed class AlsWeightingChooserTests
{
    private static readonly AlsOptions Small = new() { Factors = 32, Iterations = 8 };

    private static double TestNdcg(Split split, double alpha, double regularization) =>
        Evaluator.Evaluate(new AlsTrainer(Small with { Alpha = alpha, Regularization = regularization }).Fit(split.Train), split.Train, split.Test, new EvaluationOptions { ComputeAuc = false })["NDCG@10"];

    [Fact]
    public void OnAGeneratedLogWithTasteGroups_TheChoiceBeatsTheDefaults_OnATestPartItNeverSaw()
    {
        var split = Splitter.PerUser(PowerLawInteractions.Generate(users: 4000, items: 2000, draws: 250_000, seed: 3, tastes: 20), 0.2, 11);
        var choice = AlsWeightingChooser.Choose(split.Train, Small, folds: 2);

        Assert.Equal(2, choice.Ndcg.Count);
        Assert.All(choice.Ndcg, fold => Assert.Equal(AlsWeightingChooser.Candidates.Count, fold.Length));
        Assert.Equal(2, choice.FoldChoices.Count);
        var best = choice.MeanNdcg.Max();
        Assert.Equal(best, choice.MeanNdcg[AlsWeightingChooser.Candidates.ToList().IndexOf((choice.Alpha, choice.Regularization))]);

        var chosen = TestNdcg(split, choice.Alpha, choice.Regularization);
        var defaults = TestNdcg(split, new AlsOptions().Alpha, new AlsOptions().Regularization);
        Assert.True(chosen > defaults + 0.01, $"chosen α {choice.Alpha} λ {choice.Regularization}: {chosen:F4} vs defaults {defaults:F4}");
    }

    [Fact]
    public void OnTheCatalogueTheDefaultsWereTunedOn_TheChoiceIsNoWorse()
    {
        var split = Splitter.PerUser(MovieLens.LoadRatings(TestData.LatestSmall).Interactions, 0.2, 42);
        var choice = AlsWeightingChooser.Choose(split.Train, Small, folds: 2);
        var chosen = TestNdcg(split, choice.Alpha, choice.Regularization);
        var defaults = TestNdcg(split, new AlsOptions().Alpha, new AlsOptions().Regularization);
        Assert.True(chosen >= defaults - 0.005, $"chosen α {choice.Alpha} λ {choice.Regularization}: {chosen:F4} vs defaults {defaults:F4}");
    }
}
