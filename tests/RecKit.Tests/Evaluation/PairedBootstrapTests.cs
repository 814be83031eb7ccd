using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;

namespace RecKit.Tests.Evaluation;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void AConstantDifference_HasAnIntervalOfThatDifferenceAlone()
    {
        var d = PairedBootstrap.Of([0.25, 0.25, 0.25, 0.25], seed: 3);
        Assert.Equal(0.25, d.Mean, 12);
        Assert.Equal(0.25, d.Low, 12);
        Assert.Equal(0.25, d.High, 12);
        Assert.True(d.Settled);
    }

    [Fact]
    public void NoisyDifferences_GetAnIntervalAsWideAsTheirStandardError()
    {
        // 400 users whose differences have mean 0.05 and standard deviation 0.2: standard error 0.01, so the 95%
        // interval spans about ±0.0196 around the sample mean and leaves out 0.
        var random = new Random(11);
        var differences = Enumerable.Range(0, 400).Select(_ => 0.05 + (0.2 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
        var d = PairedBootstrap.Of(differences, seed: 1);
        Assert.Equal(differences.Average(), d.Mean, 12);
        Assert.InRange(d.High - d.Low, 0.033, 0.046);
        Assert.InRange(d.Mean - d.Low, 0.014, 0.025);
        Assert.True(d.Settled);
        Assert.Equal(400, d.Users);

        // Centred on 0 instead: the interval holds 0.
        var centred = PairedBootstrap.Of(differences.Select(x => x - differences.Average()).ToArray(), seed: 1);
        Assert.False(centred.Settled);
        Assert.True(centred.Low < 0 && centred.High > 0);
    }

    [Fact]
    public void Differences_PrintSigned_WithAZeroThatIsNeitherSign()
    {
        Assert.Equal("+0.0261", SignedFigure.Of(0.02611));
        Assert.Equal("-0.0010", SignedFigure.Of(-0.001));
        Assert.Equal("0.0000", SignedFigure.Of(-0.00001));
        Assert.Equal("0.0000", SignedFigure.Of(0.00004));
        Assert.Equal("NDCG@10 +0.0500 (95% interval -0.0100 to +0.1200, paired bootstrap over 1,234 users)", new MetricDifference(0.05, -0.01, 0.12, 1234, 0.95).Describe("NDCG@10"));
    }

    [Fact]
    public void TheSameSeed_GivesTheSameInterval_AndBadSettingsAreRefused()
    {
        double[] differences = [0.1, -0.2, 0.3, 0.05, 0.0, 0.4, -0.1];
        Assert.Equal(PairedBootstrap.Of(differences, seed: 5), PairedBootstrap.Of(differences, seed: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.Of(differences, resamples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.Of(differences, level: 1));
        Assert.Equal(0, PairedBootstrap.Of([]).Users);
    }

    [Fact]
    public void Compare_PairsTwoEvaluationsUserByUser_AndItsMeanIsTheDifferenceOfTheirMeans()
    {
        var data = TestData.Synthetic();
        var split = Splitter.PerUser(data, 0.2, seed: 4);
        var options = new EvaluationOptions { Ks = [10], ComputeAuc = false, KeepPerUser = true };
        var knn = Evaluator.Evaluate(new ItemKnnTrainer().Fit(split.Train), split.Train, split.Test, options);
        var popularity = Evaluator.Evaluate(new PopularityTrainer().Fit(split.Train), split.Train, split.Test, options);
        var d = PairedBootstrap.Compare(knn, popularity, "NDCG@10");
        Assert.Equal(knn["NDCG@10"] - popularity["NDCG@10"], d.Mean, 9);
        Assert.Equal(knn.UsersEvaluated, d.Users);
        Assert.True(d.Low <= d.Mean && d.Mean <= d.High);
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Compare(Evaluator.Evaluate(new PopularityTrainer().Fit(split.Train), split.Train, split.Test, new EvaluationOptions { Ks = [10] }), popularity, "NDCG@10"));
    }
}
