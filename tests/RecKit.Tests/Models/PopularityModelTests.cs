using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models;

public class PopularityModelTests : RecommenderContractTests
{
    protected override IRecommender Fit(Interactions train, int seed) => new PopularityTrainer().Fit(train);

    [Fact]
    public void Scores_AreInteractionCounts()
    {
        var data = TestData.Build(3, 3, (0, 0, 5), (1, 0, 1), (2, 0, 3), (0, 2, 4));
        var model = new PopularityTrainer().Fit(data);
        Assert.Equal([3f, 0f, 1f], model.Counts.ToArray());
        Assert.Equal(3f, model.PredictRating(0, 0));
        Assert.Equal(13f / 4, model.PredictRating(0, 1)); // unseen item: global mean
    }
}
