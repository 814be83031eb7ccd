using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Training;

namespace RecKit.Tests.Models;

/// <summary>What every model definition promises: options read strictly and round-tripped, a fit, a readable file, and a live history scorer that agrees with the fitted model.</summary>
public class ModelDefinitionTests
{
    public static TheoryData<string> Names() => [.. ModelDefinitions.Names];

    /// <summary>Small options so that every model fits in a moment.</summary>
    private static JsonObject? Quick(string name) => name switch
    {
        "mf" or "svd++" => new JsonObject { ["factors"] = 4, ["epochs"] = 3 },
        "bpr" => new JsonObject { ["factors"] = 4, ["epochs"] = 3 },
        "als" => new JsonObject { ["factors"] = 4, ["iterations"] = 3 },
        "two-tower" => new JsonObject { ["factors"] = 4, ["epochs"] = 2 },
        _ => null,
    };

    private static ModelInputs Inputs(Interactions data)
    {
        var rows = Enumerable.Range(0, data.ItemCount).ToArray();
        var columns = rows.Select(i => i % 3).ToArray();
        var features = CsrMatrix.FromCoordinates(data.ItemCount, 3, rows, columns, Enumerable.Repeat(1f, rows.Length).ToArray());
        return new ModelInputs(data) { ItemFeatures = features, Tags = features, Relevance = null };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Options_AreTheDefaultsWithTheSettingsOnTop_AndRoundTripThroughJson(string name)
    {
        var definition = ModelDefinitions.Get(name.ToUpperInvariant()); // names are case-insensitive
        var options = definition.ReadOptions(Quick(name));
        Assert.IsType(definition.OptionsType, options);
        var written = definition.WriteOptions(options);
        Assert.Equal(definition.OptionNames.Order(), written.Select(p => p.Key).Order());
        Assert.Equal(options, definition.ReadOptions(written));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Fit_GivesAModelWhoseFileKindIsRegistered_AndWhoseLiveScorerAgreesWithIt(string name)
    {
        var definition = ModelDefinitions.Get(name);
        var data = TestData.WithTimestamps(TestData.Synthetic()); // seqknn needs them; the others leave them be
        var options = definition.ReadOptions(Quick(name));
        var model = definition.Fit(options, Inputs(data));
        Assert.Equal(data.ItemCount, model.ItemCount);
        if (model is IPersistableModel persistable)
        {
            Assert.Contains(definition.FileKinds, k => k.Kind == persistable.Kind);
        }

        var history = definition.BindHistoryScorer(model, options);
        Assert.Equal(definition.ScoresHistories, history is not null);
        if (history is null)
        {
            return;
        }

        var user = Enumerable.Range(0, data.UserCount).First(u => data.ByUser.RowLength(u) > 1);
        var items = data.ByUser.RowColumns(user).ToArray();
        var scores = new float[model.ItemCount];
        history.ScoreHistory(items, Enumerable.Repeat(1f, items.Length).ToArray(), scores);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        if (name is "itemknn" or "seqknn" or "ease" or "popularity")
        {
            // These score a history exactly as they score the user they were fitted on.
            var stored = new float[model.ItemCount];
            model.ScoreAll(user, stored);
            Assert.Equal(stored, scores);
        }
    }

    [Fact]
    public void UnknownModelsAndOptions_AreErrorsThatNameWhatIsAccepted()
    {
        var unknownModel = Assert.Throws<ArgumentException>(() => ModelDefinitions.Get("svd"));
        Assert.Contains("Known models", unknownModel.Message, StringComparison.Ordinal);
        var unknownOption = Assert.Throws<ArgumentException>(() => ModelSpec.Read("als", new JsonObject { ["epochs"] = 3 }));
        Assert.Contains("iterations", unknownOption.Message, StringComparison.Ordinal);
        Assert.Contains("iterations", ModelDefinitions.Get("als").OptionNames);
    }

    [Fact]
    public void Fit_TakesTheGivenOptionsOverTheDefaults()
    {
        var model = ModelSpec.Read("ALS", new JsonObject { ["factors"] = 8, ["iterations"] = 2 }).Fit(new ModelInputs(TestData.Synthetic()));
        Assert.Equal(8, Assert.IsType<LatentFactorModel>(model).Factors);
    }

    [Theory]
    [InlineData("als", null, 15)]
    [InlineData("bpr", null, 60)]
    [InlineData("two-tower", null, 15)]
    [InlineData("two-tower", "Sgd", 30)]
    [InlineData("itemknn", null, null)]
    public void Epochs_AreThePassesAFitMakes_WhetherConfiguredOrNot(string name, string? solver, int? passes)
    {
        // The tuner gives an epoch-trained model fewer passes on a small budget: an unset count must still be known.
        var definition = ModelDefinitions.Get(name);
        var settings = solver is null ? null : new System.Text.Json.Nodes.JsonObject { ["solver"] = solver };
        Assert.Equal(passes, definition.Epochs(definition.ReadOptions(settings)));
    }

    [Fact]
    public void SvdPlusPlus_StartsFromItsOwnDefaults()
    {
        var options = (MatrixFactorizationOptions)ModelDefinitions.Get("svd++").ReadOptions(new JsonObject { ["epochs"] = 2 });
        Assert.Equal(MatrixFactorizationOptions.SvdPlusPlus with { Epochs = 2 }, options);
    }

    [Fact]
    public void BprFoldIn_UsesTheSavedFoldInSettings()
    {
        var data = TestData.Synthetic();
        var definition = ModelDefinitions.Get("bpr");
        var fast = (BprOptions)definition.ReadOptions(Quick("bpr"));
        var model = (LatentFactorModel)definition.Fit(fast, new ModelInputs(data));
        var items = data.ByUser.RowColumns(0).ToArray();
        var weights = Enumerable.Repeat(1f, items.Length).ToArray();
        float[] Scores(BprOptions o)
        {
            var scores = new float[model.ItemCount];
            definition.BindHistoryScorer(model, o)!.ScoreHistory(items, weights, scores);
            return scores;
        }

        var expected = new float[model.ItemCount];
        model.ScoreVector(BprTrainer.FoldIn(model, items, 0, 7, 0.2f, 0.5f), expected);
        Assert.Equal(expected, Scores(fast with { FoldInEpochs = 7, FoldInLearningRate = 0.2, FoldInL2 = 0.5 }));
        Assert.NotEqual(expected, Scores(fast));
    }

    [Fact]
    public void ModelsThatNeedFeatures_SayWhereTheyComeFrom()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSpec.Read("genre", null).Fit(new ModelInputs(TestData.Synthetic())));
        Assert.Contains("item features", error.Message, StringComparison.Ordinal);
        Assert.Equal(ModelNeeds.Tags, ModelDefinitions.Get("tags").Needs);
        Assert.Equal(ModelNeeds.Interactions, ModelDefinitions.Get("two-tower").Needs);
    }

    [Fact]
    public void TrainingContext_ReachesTheTrainer()
    {
        var epochs = 0;
        var context = new TrainingContext { OnEpochEnd = _ => { epochs++; return EpochDecision.Continue; } };
        ModelSpec.Read("als", new JsonObject { ["factors"] = 2, ["iterations"] = 3 }).Fit(new ModelInputs(TestData.Synthetic()) { Context = context });
        Assert.Equal(3, epochs);
    }
}
