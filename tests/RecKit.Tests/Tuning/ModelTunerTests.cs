using System.Text.Json.Nodes;
using RecKit.Models;
using RecKit.Tuning;

namespace RecKit.Tests.Tuning;

/// <summary>The tuner on real data: it finds better settings than deliberately bad ones, keeps good ones, and refuses what it cannot tune.</summary>
public sealed class ModelTunerTests
{
    private static readonly Lazy<RecKit.Data.Interactions> Train = new(() =>
        RecKit.Data.Splits.Splitter.PerUser(RecKit.Data.MovieLens.LoadRatings(TestData.LatestSmall).Interactions, 0.2, 42).Train);

    [Fact]
    public void BadlyConfiguredItemKnn_IsTunedToBetterSettings_OnTheValidationPart()
    {
        var bad = new JsonObject { ["neighbours"] = 1, ["shrink"] = 0 };
        var seen = new List<TuningTrial>();
        var result = ModelTuner.Tune("itemknn", bad, Train.Value, new TuningOptions { Candidates = 9 }, (t, _) => seen.Add(t));
        Assert.True(result.BestScore > result.ConfiguredScore + 0.02, $"tuned {result.BestScore:F4} vs configured {result.ConfiguredScore:F4}");
        Assert.NotEqual(1, result.Best["neighbours"]!.GetValue<int>());
        Assert.Equal(9 + 3 + 1, seen.Count);
        Assert.Equal(seen, result.Trials);
    }

    [Fact]
    public void TheChoiceIsNeverWorseThanTheConfiguredSettings_WhichStayWhenTheyWin()
    {
        var configured = new JsonObject { ["neighbours"] = 100, ["shrink"] = 10 };
        var result = ModelTuner.Tune("itemknn", configured, Train.Value, new TuningOptions { Candidates = 3, Seed = 5 });
        Assert.True(result.BestScore >= result.ConfiguredScore);
        var kept = result.Best["neighbours"]!.GetValue<int>() == 100;
        Assert.Equal(kept, result.BestScore == result.ConfiguredScore);
    }

    [Fact]
    public void AModelTrainedInEpochs_IsGivenFewerEpochsOnASmallBudget()
    {
        // With 3 candidates and η 3: three trials at a third of ALS's 6 iterations (2), then one at all 6.
        var result = ModelTuner.Tune("als", new JsonObject { ["iterations"] = 6, ["factors"] = 8 }, Train.Value, new TuningOptions { Candidates = 3 });
        Assert.Equal([0.333333, 0.333333, 0.333333, 1.0], result.Trials.Select(t => Math.Round(t.Budget, 6)));
        Assert.Equal(6, result.Best["iterations"]!.GetValue<int>()); // the chosen settings keep the full count
    }

    [Fact]
    public void WhenTheDeadlineComesEarly_TheBestSoFarGetsOneFullTrial_AndCompetesWithTheConfigured()
    {
        var result = ModelTuner.Tune("itemknn", new JsonObject { ["neighbours"] = 1 }, Train.Value, new TuningOptions { Candidates = 9, Seconds = 0.001 });
        Assert.Contains(result.Trials, t => t.Budget == 1);
        Assert.True(result.BestScore >= result.ConfiguredScore);
        Assert.True(result.Trials.Count < 9 + 3 + 1, "the deadline did not stop the halving");
    }

    [Fact]
    public void WhatCannotBeTuned_IsRefusedBeforeAnyWork()
    {
        Assert.Contains("nothing to tune", Assert.Throws<ArgumentException>(() => ModelTuner.Tune("popularity", null, Train.Value, new TuningOptions())).Message, StringComparison.Ordinal);
        Assert.Contains("candidates", Assert.Throws<ArgumentException>(() => ModelTuner.Tune("als", null, Train.Value, new TuningOptions { Candidates = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ModelTuner.Tune("als", new JsonObject { ["factorz"] = 3 }, Train.Value, new TuningOptions()));
    }

    [Fact]
    public void TheTwoTower_IsFittedWithTheCatalogueFeatures_InEveryTrial()
    {
        // Tags carry all the taste; a regularisation this strong holds each tower to its features' embedding, so the
        // score comes from the tags when the tuner is given them, and from nothing without them.
        var dir = Directory.CreateTempSubdirectory("reckit-tune-").FullName;
        try
        {
            var catalogue = TaggedTestCatalogue.Load(dir, tagSignal: 1, userCount: 500, itemCount: 400);
            var settings = new JsonObject { ["factors"] = 16, ["epochs"] = 4, ["regularization"] = 10000 };
            var options = new TuningOptions { Candidates = 1 };
            var with = ModelTuner.Tune("two-tower", settings, catalogue.Data, options, catalogue: new ModelInputs(catalogue.Data) { ItemFeatures = catalogue.ItemFeatures!.Values });
            var without = ModelTuner.Tune("two-tower", settings, catalogue.Data, options);
            Assert.True(with.ConfiguredScore > without.ConfiguredScore + 0.02, $"with the tags {with.ConfiguredScore:F4}, without {without.ConfiguredScore:F4}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheTwoTowersSearch_FollowsItsSolver()
    {
        Assert.Contains("alpha", TuningSpace.For("two-tower", new TwoTowerOptions())!.Parameters.Select(p => p.Name));
        var sgd = new JsonObject { ["solver"] = "Sgd", ["factors"] = 8, ["epochs"] = 1 };
        var result = ModelTuner.Tune("two-tower", sgd, Train.Value, new TuningOptions { Candidates = 2 });
        var drawn = result.Trials.Where(t => t.Candidate > 0).Select(t => t.Options).ToList();
        Assert.NotEmpty(drawn);
        Assert.All(drawn, o => Assert.True(o.ContainsKey("learningRate") && !o.ContainsKey("alpha"), o.ToJsonString()));
    }

    [Theory]
    [InlineData(1.0, 100.0, true)]
    [InlineData(0.0, 200.0, false)]
    public void ParametersAreDrawnWithinTheirRange(double min, double max, bool log)
    {
        var parameter = new TuningParameter("x", min, max, log);
        var random = new Random(3);
        var values = Enumerable.Range(0, 2000).Select(_ => parameter.Sample(random).GetValue<double>()).ToList();
        Assert.All(values, v => Assert.InRange(v, min, max));
        // A log range puts as many draws below the geometric middle as above it; a linear one below the arithmetic middle.
        var middle = log ? Math.Sqrt(min * max) : (min + max) / 2;
        Assert.InRange(values.Count(v => v < middle), 900, 1100);
        Assert.Throws<ArgumentException>(() => new TuningParameter("x", 0, 10, Log: true).Validate());
    }
}
