using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models;

/// <summary>The recommender contract for the two-tower fitted by SGD with the sampled softmax.</summary>
public class TwoTowerSoftmaxTests : RecommenderContractTests
{
    protected override bool UsesSeed => true;

    protected override IRecommender Fit(Interactions train, int seed) =>
        new TwoTowerTrainer(null, ContentModelTests.Features(train.ItemCount), new TwoTowerOptions
        {
            Solver = TwoTowerSolver.Sgd, Loss = TwoTowerLoss.SampledSoftmax, Negatives = 16, BatchSize = 8, Seed = seed, Epochs = 10, Factors = 8, LearningRate = 0.02,
        }).Fit(train);
}
