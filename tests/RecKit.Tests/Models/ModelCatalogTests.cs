using System.Text.Json.Nodes;
using RecKit.Models;
using RecKit.Training;

namespace RecKit.Tests.Models;

public class ModelCatalogTests
{
    [Fact]
    public void Fit_TakesTheGivenOptionsOverTheDefaults()
    {
        var model = ModelCatalog.Fit("ALS", TestData.Synthetic(), TrainingContext.None, new JsonObject { ["factors"] = 8, ["iterations"] = 2 });
        Assert.Equal(8, Assert.IsType<LatentFactorModel>(model).Factors);
    }

    [Fact]
    public void UnknownModelsAndOptions_AreErrorsThatNameWhatIsAccepted()
    {
        var unknownModel = Assert.Throws<ArgumentException>(() => ModelCatalog.Fit("svd", TestData.Synthetic(), TrainingContext.None));
        Assert.Contains("Known models", unknownModel.Message, StringComparison.Ordinal);
        var unknownOption = Assert.Throws<ArgumentException>(() => ModelCatalog.Fit("als", TestData.Synthetic(), TrainingContext.None, new JsonObject { ["epochs"] = 3 }));
        Assert.Contains("iterations", unknownOption.Message, StringComparison.Ordinal);
        Assert.Contains("iterations", ModelCatalog.OptionNames("als"));
    }
}
