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
        // Small random 1-or-5 data without regularisation: some user and item biases add up beyond the scale.
        for (var seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            var rows = new List<(int, int, float)>();
            for (var u = 0; u < 6; u++)
            {
                for (var i = 0; i < 6; i++)
                {
                    if (random.NextDouble() < 0.5)
                    {
                        rows.Add((u, i, random.Next(2) == 0 ? 1f : 5f));
                    }
                }
            }

            var data = TestData.Build(6, 6, [.. rows]);
            var model = new BiasTrainer(new BiasOptions { UserRegularization = 0, ItemRegularization = 0 }).Fit(data);
            for (var u = 0; u < 6; u++)
            {
                for (var i = 0; i < 6; i++)
                {
                    var raw = model.GlobalMean + model.UserBiases[u] + model.ItemBiases[i];
                    if (raw is > 5.01f or < 0.99f)
                    {
                        Assert.Equal(Math.Clamp(raw, 1f, 5f), model.PredictRating(u, i));
                        Assert.InRange(model.PredictRating(u, i), 1f, 5f);
                        return;
                    }
                }
            }
        }

        Assert.Fail("no data set put an unclipped prediction outside 1..5: the test proves nothing");
    }
}
