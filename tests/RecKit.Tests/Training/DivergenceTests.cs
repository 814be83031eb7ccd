using RecKit.Data;
using RecKit.Models;
using RecKit.Training;

namespace RecKit.Tests.Training;

/// <summary>Trainers stop with a clear message instead of returning a model of NaNs.</summary>
public sealed class DivergenceTests
{
    private static Interactions WithHugeRating()
    {
        var data = TestData.Synthetic();
        var values = data.Values.ToArray();
        values[0] = 1e30f;
        return new Interactions(data.UserMap, data.ItemMap, data.Users.ToArray(), data.Items.ToArray(), values, null, meaning: ValueMeaning.Ratings);
    }

    [Fact]
    public void ExplicitMf_OnAHugeRating_StopsNamingEpochAndSetting()
    {
        var error = Assert.Throws<TrainingDivergedException>(() => new MatrixFactorizationTrainer(new MatrixFactorizationOptions { Epochs = 5, Factors = 4, Threads = 1 }).Fit(WithHugeRating()));
        Assert.Equal(1, error.Epoch);
        Assert.Contains("Explicit MF diverged at epoch 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("learningRate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bpr_WithAnExplodingLearningRate_Stops()
    {
        var error = Assert.Throws<TrainingDivergedException>(() => new BprTrainer(new BprOptions { Optimizer = ImplicitOptimizer.Hogwild, LearningRate = 1e30, Epochs = 3, Factors = 4, Threads = 1, InitStd = 10 }).Fit(TestData.Synthetic()));
        Assert.Contains("BPR diverged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Als_UsingNegativeValuesAsConfidence_IsRefusedBeforeTraining()
    {
        var data = TestData.Build(2, 2, (0, 0, 3), (1, 1, -2));
        var error = Assert.Throws<ArgumentException>(() => new AlsTrainer(new AlsOptions { UseValues = true, Factors = 2, Iterations = 1 }).Fit(data));
        Assert.Contains("useValues", error.Message, StringComparison.Ordinal);
        Assert.Contains("-2", error.Message, StringComparison.Ordinal);
        new AlsTrainer(new AlsOptions { UseValues = false, Factors = 2, Iterations = 1 }).Fit(data); // as plain presence the sign does not matter
    }

    [Theory]
    [InlineData("bpr", """{ "learningRate": -1 }""", "bpr option 'learningRate'")]
    [InlineData("bpr", """{ "negativeSamples": 0 }""", "bpr option 'negativeSamples'")]
    [InlineData("als", """{ "cgSteps": 0 }""", "als option 'cgSteps'")]
    [InlineData("als", """{ "alpha": -3 }""", "als option 'alpha'")]
    [InlineData("mf", """{ "initStd": 0 }""", "mf option 'initStd'")]
    [InlineData("itemknn", """{ "shrink": -1 }""", "itemknn option 'shrink'")]
    [InlineData("ease", """{ "regularization": 0 }""", "ease option 'regularization'")]
    [InlineData("bias", """{ "epochs": 0 }""", "bias option 'epochs'")]
    public void OptionErrors_NameTheSettingThatIsWrong(string model, string json, string expected)
    {
        var settings = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        var error = Assert.Throws<ArgumentException>(() => RecKit.Models.ModelSpec.Read(model, settings).Fit(new RecKit.Models.ModelInputs(TestData.Synthetic())));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interactions_RefuseNonFiniteValues_SoNoTrainerSeesThem()
    {
        var data = TestData.Synthetic();
        var values = data.Values.ToArray();
        values[3] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => new Interactions(data.UserMap, data.ItemMap, data.Users.ToArray(), data.Items.ToArray(), values, null, meaning: ValueMeaning.Ratings));
        Assert.Contains("position 3", error.Message, StringComparison.Ordinal);
        values[3] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => new Interactions(data.UserMap, data.ItemMap, data.Users.ToArray(), data.Items.ToArray(), values, null, meaning: ValueMeaning.Ratings));
    }
}
