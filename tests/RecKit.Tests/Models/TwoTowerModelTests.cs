using RecKit.Data;
using RecKit.Models;
using RecKit.Ranking;
using RecKit.Training;

namespace RecKit.Tests.Models;

public class TwoTowerModelTests : RecommenderContractTests
{
    private static TwoTowerTrainer Trainer(int items, int seed, int epochs = 15) =>
        new(null, ContentModelTests.Features(items), new TwoTowerOptions { Seed = seed, Epochs = epochs, Factors = 8 });

    protected override bool UsesSeed => true;

    protected override IRecommender Fit(Interactions train, int seed) => Trainer(train.ItemCount, seed).Fit(train);

    [Theory]
    [InlineData(TwoTowerSolver.Als, TwoTowerLoss.Bpr, NegativeSampling.Uniform)]
    [InlineData(TwoTowerSolver.Sgd, TwoTowerLoss.Bpr, NegativeSampling.Uniform)]
    [InlineData(TwoTowerSolver.Sgd, TwoTowerLoss.Bpr, NegativeSampling.Popularity)]
    [InlineData(TwoTowerSolver.Sgd, TwoTowerLoss.SampledSoftmax, NegativeSampling.Uniform)]
    public void ColdItem_IsScoredFromItsFeatures(TwoTowerSolver solver, TwoTowerLoss loss, NegativeSampling featureStepNegatives)
    {
        // Items 58 (even: group-0 taste) and 59 (odd) have no interactions; group-0 users must prefer 58. The towers
        // alone (no content channel), so that it is the feature embeddings that are tested.
        var data = TestData.Synthetic();
        var options = new TwoTowerOptions { Solver = solver, Loss = loss, Seed = 3, Epochs = 15, Factors = 8, FeatureStepNegatives = featureStepNegatives, Negatives = 16, BatchSize = 8, ContentChannel = false };
        var model = new TwoTowerTrainer(null, ContentModelTests.Features(data.ItemCount), options).Fit(data);
        var preferred = 0;
        var scores = new float[model.ItemCount];
        for (var u = 0; u < 39; u += 2)
        {
            model.ScoreAll(u, scores);
            preferred += scores[58] > scores[59] ? 1 : 0;
        }

        Assert.True(preferred >= 18, $"only {preferred} of 20 group-0 users prefer the cold even item");
    }

    [Fact]
    public void Training_LossFalls_AndRanksInTasteGroup()
    {
        var data = TestData.Synthetic();
        var losses = new List<double>();
        var model = Trainer(data.ItemCount, 1, epochs: 10).Fit(data, new TrainingContext
        {
            OnEpochEnd = e =>
            {
                losses.Add(e.Loss);
                return EpochDecision.Continue;
            },
        });
        Assert.True(losses[^1] < losses[0] * 0.8, $"loss went {losses[0]:F3} -> {losses[^1]:F3}");
        var lists = Recommendations.ForUsers(model, 5, data.ByUser, Enumerable.Range(0, 39).ToArray());
        var inGroup = lists.Sum(l => l.Items.Count(i => i % 2 == l.User % 2));
        Assert.True(inGroup > 0.8 * lists.Sum(l => l.Items.Length), $"{inGroup} of {lists.Sum(l => l.Items.Length)} recommendations in the user's taste group");
    }

    [Fact]
    public void WithoutIds_IsAPureFeatureModel()
    {
        var data = TestData.Synthetic();
        var model = new TwoTowerTrainer(null, ContentModelTests.Features(data.ItemCount), new TwoTowerOptions { Solver = TwoTowerSolver.Sgd, UseIds = false, Factors = 4, Epochs = 5 }).Fit(data);
        var scores = new float[model.ItemCount];
        model.ScoreAll(0, scores);
        // Items 0 and 6 share exactly the same features, so they must score the same.
        Assert.Equal(scores[0], scores[6], 5);
    }

    [Theory]
    [InlineData(true, 18)]
    [InlineData(false, 0)]
    public void WithoutIds_HistoryFeaturesPersonaliseTheUserTower(bool history, int atLeast)
    {
        // No IDs and no user features: only the history profile can tell group-0 users from group-1 users.
        var data = TestData.Synthetic();
        var model = new TwoTowerTrainer(null, ContentModelTests.Features(data.ItemCount), new TwoTowerOptions { Solver = TwoTowerSolver.Sgd, UseIds = false, HistoryFeatures = history, ContentChannel = false, Factors = 8, Epochs = 15, Seed = 5 }).Fit(data);
        var scores = new float[model.ItemCount];
        var inTaste = 0;
        for (var u = 0; u < 40; u++)
        {
            model.ScoreAll(u, scores);
            inTaste += (scores[58] > scores[59]) == (u % 2 == 0) ? 1 : 0;
        }

        Assert.InRange(inTaste, atLeast, history ? 40 : 22);
    }
}
