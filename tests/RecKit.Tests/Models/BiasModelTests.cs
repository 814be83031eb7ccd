using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models;

public class BiasModelTests : RecommenderContractTests
{
    protected override IRecommender Fit(Interactions train, int seed) => new BiasTrainer().Fit(train);

    [Fact]
    public void WithoutRegularisation_OneSweepGivesItemMeanOffsets()
    {
        // Item 0: ratings 5 and 3 (mean 4); item 1: rating 1. μ = 3.
        var data = TestData.Build(2, 2, (0, 0, 5), (1, 0, 3), (1, 1, 1));
        var model = new BiasTrainer(new BiasOptions { UserRegularization = 0, ItemRegularization = 0, Epochs = 1 }).Fit(data);
        Assert.Equal(3f, model.GlobalMean, 5);
        Assert.Equal(1f, model.ItemBiases[0], 5);
        Assert.Equal(-2f, model.ItemBiases[1], 5);
        // b_u after item biases: user 0: 5-3-1 = 1; user 1: ((3-3-1) + (1-3+2)) / 2 = -0.5
        Assert.Equal(1f, model.UserBiases[0], 5);
        Assert.Equal(-0.5f, model.UserBiases[1], 5);
    }

    [Fact]
    public void PredictRating_IsClippedToTrainingRange()
    {
        var data = TestData.Build(2, 2, (0, 0, 5), (1, 1, 1));
        var model = new BiasTrainer(new BiasOptions { UserRegularization = 0, ItemRegularization = 0 }).Fit(data);
        Assert.InRange(model.PredictRating(0, 0), 1f, 5f);
        Assert.InRange(model.PredictRating(1, 0), 1f, 5f);
    }
}
