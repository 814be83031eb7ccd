using RecKit.Tuning;

namespace RecKit.Tests.Tuning;

/// <summary>Successive halving on a known objective: who survives each rung, the budgets, the deadline.</summary>
public sealed class SuccessiveHalvingTests
{
    [Fact]
    public void TheBestThirdSurvivesEachRung_AndOnlyTheLastHasTheFullBudget()
    {
        // Candidate c scores c (budget adds a little), so the survivors are known: 27 → 9 → 3 → 1.
        var trials = SuccessiveHalving.Run(27, (c, budget) => c + budget);
        Assert.Equal(27 + 9 + 3 + 1, trials.Count);
        Assert.Equal(Enumerable.Repeat(1.0 / 27, 27), trials.Take(27).Select(t => t.Budget), new ToleranceComparer());
        Assert.Equal(Enumerable.Range(18, 9), trials.Skip(27).Take(9).Select(t => t.Candidate).Order());
        Assert.Equal([24, 25, 26], trials.Skip(36).Take(3).Select(t => t.Candidate).Order());
        Assert.Equal((26, 1.0), (trials[^1].Candidate, trials[^1].Budget));
        Assert.Equal(26, SuccessiveHalving.Best(trials).Candidate);
    }

    [Fact]
    public void TheBest_IsJudgedAtTheLargestBudget_NotByAHigherScoreOnASmallerOne()
    {
        (int, double, double, double)[] trials = [(0, 1.0 / 3, 0.9, 1), (1, 1.0 / 3, 0.4, 1), (1, 1.0, 0.5, 3), (2, 1.0, 0.45, 3)];
        Assert.Equal((1, 1.0, 0.5), SuccessiveHalving.Best(trials));
    }

    [Fact]
    public void ADeadline_StopsStartingTrials_AndTheBestIsTakenAtTheLargestBudgetReached()
    {
        var calls = 0;
        var trials = SuccessiveHalving.Run(27, (c, _) => { calls++; return c; }, deadline: DateTime.UtcNow.AddSeconds(-1));
        Assert.Single(trials); // one trial at least, so there is an answer
        Assert.Equal(1, calls);
        Assert.Equal(trials[0].Budget, SuccessiveHalving.Best(trials).Budget);
    }

    [Fact]
    public void OneCandidate_GetsTheFullBudgetAtOnce()
    {
        var trials = SuccessiveHalving.Run(1, (c, budget) => budget);
        Assert.Equal((0, 1.0), (trials.Single().Candidate, trials.Single().Budget));
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}
