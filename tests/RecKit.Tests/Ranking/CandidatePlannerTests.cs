using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

public class CandidatePlannerTests
{
    /// <summary>Scores every item by a fixed function of the item alone.</summary>
    private sealed class ItemOrder(int items, Func<int, float> score) : IRecommender
    {
        public int UserCount => 2;

        public int ItemCount => items;

        public bool IsKnownUser(int user) => true;

        public void ScoreAll(int user, Span<float> scores)
        {
            for (var i = 0; i < items; i++)
            {
                scores[i] = score(i);
            }
        }

        public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
        {
            for (var j = 0; j < items.Length; j++)
            {
                scores[j] = score(items[j]);
            }
        }
    }

    // 40 items; "low" ranks 0, 1, 2, ..., "high" ranks 39, 38, 37, ... User 0 holds out 0, 1 and 39; user 1 holds out
    // 2, 38 and 20 (20 is deep in both). Steps of 2: low's first step finds 2 (0, 1), high's finds 2 (39, 38): the tie goes
    // to the first source; then high's first step (2) beats low's second (1: item 2); then low's second (1) beats high's
    // second (0); then no step finds anything and the greedy stops short of the budget.
    private static (IReadOnlyList<(string, IRecommender)> Sources, Interactions History, Interactions HeldOut) Case()
    {
        IReadOnlyList<(string, IRecommender)> sources = [("low", new ItemOrder(40, i => -i)), ("high", new ItemOrder(40, i => i))];
        var history = TestData.Build(2, 40);
        var heldOut = TestData.Build(2, 40, (0, 0, 1), (0, 1, 1), (0, 39, 1), (1, 2, 1), (1, 38, 1), (1, 20, 1));
        return (sources, history, heldOut);
    }

    [Fact]
    public void Plan_GivesEachStepToTheSourceThatFindsTheMostNotYetFound()
    {
        var (sources, history, heldOut) = Case();
        var plan = CandidatePlanner.Plan(sources, history.ByUser, heldOut, threshold: null, budget: 10, step: 2);
        Assert.Equal([("low", 4), ("high", 2)], plan.Sizes);
        Assert.Equal([("low", 2, 2 / 6.0), ("high", 2, 4 / 6.0), ("low", 4, 5 / 6.0)], plan.Steps);
        Assert.Equal(5 / 6.0, plan.Recall, 9);
        Assert.Equal(6, plan.RelevantPairs);
        Assert.Equal(3 / 6.0, plan.Curves["low"][4], 9); // low's top 4 holds 0, 1 and 2
        Assert.Equal(2 / 6.0, plan.Curves["high"][2], 9);
    }

    [Fact]
    public void Plan_KeepsWithinTheBudget_AndGivesTheAlwaysSourcesAStepFirst()
    {
        var (sources, history, heldOut) = Case();
        var plan = CandidatePlanner.Plan(sources, history.ByUser, heldOut, threshold: null, budget: 3, step: 2, always: ["high"]);
        Assert.Equal(("high", 2, 2 / 6.0), plan.Steps[0]);
        Assert.Equal([("low", 1), ("high", 2)], plan.Sizes); // the last step is cut to what is left of the budget
        Assert.Equal(3, plan.Sizes.Sum(s => s.Size));
    }

    [Fact]
    public void Plan_CountsOnlyRelevantItems_AndNeverProposesKnownOnes()
    {
        var (sources, _, _) = Case();
        var history = TestData.Build(2, 40, (0, 0, 5), (1, 0, 5)); // item 0 known to both: low's first item is 1
        var heldOut = TestData.Build(2, 40, (0, 1, 5), (0, 2, 2), (1, 39, 4));
        var plan = CandidatePlanner.Plan(sources, history.ByUser, heldOut, threshold: 4f, budget: 2, step: 1);
        Assert.Equal(2, plan.RelevantPairs); // item 2 is rated 2: not relevant at 4
        Assert.Equal([("low", 1), ("high", 1)], plan.Sizes);
        Assert.Equal(1.0, plan.Recall, 9);
    }

    [Fact]
    public void Plan_OnRealData_ReachesTheRecallTheGeneratorMeasuresWithTheChosenSizes()
    {
        var data = MovieLens.LoadRatings(TestData.LatestSmall).Interactions;
        var split = Splitter.PerUser(data, 0.2, 42);
        IReadOnlyList<(string Name, IRecommender Model)> sources =
        [
            ("itemknn", new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 50 }).Fit(split.Train)),
            ("als", new AlsTrainer(new AlsOptions { Factors = 16, Iterations = 4 }).Fit(split.Train)),
        ];
        var plan = CandidatePlanner.Plan(sources, split.Train.ByUser, split.Test, 4f, budget: 100, step: 10, users: 10_000);
        Assert.True(plan.Sizes.Sum(s => s.Size) <= 100);
        var generator = new CandidateGenerator([.. plan.Sizes.Select(s => (s.Source, sources.Single(m => m.Name == s.Source).Model, s.Size))]);
        Assert.Equal(generator.Recall(split.Test, split.Train.ByUser, 4f), plan.Recall, 9);

    }
}
