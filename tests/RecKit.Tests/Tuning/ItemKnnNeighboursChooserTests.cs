using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;
using RecKit.Tuning;

namespace RecKit.Tests.Tuning;

/// <summary>
/// Item-kNN's neighbours chosen on held-out parts of the training data: the count kept is the one with the best mean
/// NDCG@10 over the folds, and on a test part the choice never saw it ranks no worse than the default.
/// </summary>
public sealed class ItemKnnNeighboursChooserTests
{
    private static double TestNdcg(Split split, int neighbours) =>
        Evaluator.Evaluate(new ItemKnnTrainer(new ItemKnnOptions { Neighbours = neighbours }).Fit(split.Train), split.Train, split.Test, new EvaluationOptions { ComputeAuc = false })["NDCG@10"];

    [Fact]
    public void TheChoice_IsTheBestMeanOverTheFolds_AndNoWorseThanTheDefault_OnATestPartItNeverSaw()
    {
        var split = Splitter.PerUser(MovieLens.LoadRatings(TestData.LatestSmall).Interactions, 0.2, 42);
        var choice = ItemKnnNeighboursChooser.Choose(split.Train, new ItemKnnOptions(), folds: 2);

        Assert.Equal(2, choice.Ndcg.Count);
        Assert.All(choice.Ndcg, fold => Assert.Equal(ItemKnnNeighboursChooser.Candidates.Count, fold.Length));
        Assert.All(choice.Ndcg, fold => Assert.All(fold, v => Assert.InRange(v, 0.01, 1))); // every fit ranked something
        Assert.Equal(2, choice.FoldChoices.Count);
        Assert.Equal(choice.MeanNdcg.Max(), choice.MeanNdcg[ItemKnnNeighboursChooser.Candidates.ToList().IndexOf(choice.Neighbours)]);
        var again = ItemKnnNeighboursChooser.Choose(split.Train, new ItemKnnOptions(), folds: 2);
        Assert.Equal(choice.MeanNdcg, again.MeanNdcg); // the same folds and fits: the same choice every time
        Assert.Equal(choice.Neighbours, again.Neighbours);

        var chosen = TestNdcg(split, choice.Neighbours);
        var defaults = TestNdcg(split, new ItemKnnOptions().Neighbours);
        Assert.True(chosen >= defaults - 0.005, $"chosen {choice.Neighbours} neighbours: {chosen:F4} vs the default's {defaults:F4}");
    }
}
