using RecKit.Serving;
using Xunit.Abstractions;

namespace RecKit.Tests.Serving;

/// <summary>
/// The A/B readout: one experiment's arms against the configured control, clicks joined to impressions, and intervals
/// clustered by user that recover a known uplift and cover a null difference at their nominal rate in simulation.
/// </summary>
public sealed class AbReportTests(ITestOutputHelper output)
{
    private static StoredFeedback F(string user, string item, string kind, string arm, string experiment = "e", long ts = 1000, string bundle = "v0001") =>
        new(user, item, kind, arm == "a" ? "als" : "LogisticStack", arm, bundle, ts, experiment);

    [Fact]
    public void OnlyTheExperiment_IsRead_ClicksJoinImpressions_AndTheControlIsTheConfiguredArm()
    {
        List<StoredFeedback> log =
        [
            F("u1", "i1", "impression", "b"), F("u1", "i2", "impression", "b"), F("u1", "i1", "click", "b"),
            F("u1", "i1", "click", "b"), // a second click on one impression: an orphan, not a CTR above 100%
            F("u2", "i3", "click", "b"), // a click never shown: an orphan
            F("u3", "i1", "impression", "a"), F("u3", "i2", "impression", "a"), F("u3", "i2", "click", "a"),
            F("u4", "i1", "impression", "a"), F("u4", "i2", "impression", "a"),
            F("u9", "i1", "impression", "", experiment: ""), F("u9", "i1", "click", "", experiment: ""), // no experiment
            F("u8", "i1", "impression", "a", experiment: "old"), // an earlier experiment
            F("u7", "i1", "impression", "a", ts: 5000), // outside the window
            F("u6", "i1", "impression", "a", bundle: "v0002"), // another bundle
            F("u5", "i1", "impression", "z"), // an arm the experiment does not have
        ];
        var result = AbReport.Compute(log, new HashSet<string> { "i2" }, new AbReportOptions { Experiment = "e", Arms = ["b", "a"], Control = "a", To = 2000, Bundle = "v0001" });
        Assert.Equal("a", result.Control);
        Assert.Equal(["b", "a"], result.Arms.Select(a => a.Arm));
        var (b, a) = (result.Arms[0], result.Arms[1]);
        Assert.Equal((1L, 2L, 1L, 0.5), (b.Users, b.Impressions, b.Clicks, b.Ctr));
        Assert.Equal((2L, 4L, 1L, 0.25), (a.Users, a.Impressions, a.Clicks, a.Ctr));
        Assert.Equal(0.5, a.TailShare);
        Assert.Equal(2, result.OrphanClicks);
        Assert.Equal(3, result.OutsideExperiment);
        Assert.Equal(2, result.OutsideFilters);
        Assert.Equal(1, result.UnknownArm);
        var d = Assert.Single(result.Differences);
        Assert.Equal(("a", "b"), (d.Control, d.Treatment)); // treatment minus the configured control, not name order
        Assert.Equal(0.25, d.Points, 10);
        Assert.Equal(1.0, d.Relative, 10);
    }

    [Fact]
    public void WithOneImpressionPerUser_TheVarianceIsTheBinomials()
    {
        var units = Enumerable.Range(0, 1000).Select(j => (j < 100 ? 1.0 : 0.0, 1.0)).ToList();
        var e = RatioEstimate.Of(units);
        Assert.Equal(0.1, e.Ratio, 12);
        Assert.Equal(0.1 * 0.9 / 999, e.Variance, 9); // the sample variance (n − 1) over n
    }

    [Fact]
    public void AKnownUplift_IsRecoveredWithinItsInterval()
    {
        var random = new Random(20);
        int covered = 0, significant = 0;
        var estimates = new List<double>();
        const int Runs = 100;
        for (var run = 0; run < Runs; run++)
        {
            var (c, t) = (Simulate(random, 10_000, 1.0), Simulate(random, 10_000, 1.1));
            var d = AbReport.Difference("control", "treatment", c, t);
            estimates.Add(d.Relative);
            covered += d.RelativeLow <= 0.10 && d.RelativeHigh >= 0.10 ? 1 : 0;
            significant += d.Significant ? 1 : 0;
        }

        output.WriteLine($"true +10%: mean estimate {estimates.Average():P2}; the interval held 10% in {covered} of {Runs} runs; significant in {significant}");
        Assert.InRange(estimates.Average(), 0.09, 0.11);
        Assert.InRange(covered, 88, 100);
    }

    [Fact]
    public void ANullExperiment_CoversZeroAbout95PercentOfTheTime_WhereTreatingImpressionsAsUsersDoesNot()
    {
        var random = new Random(7);
        int covered = 0, naiveCovered = 0;
        const int Runs = 200;
        for (var run = 0; run < Runs; run++)
        {
            var (c, t) = (Simulate(random, 2_000, 1.0), Simulate(random, 2_000, 1.0));
            var d = AbReport.Difference("control", "treatment", c, t);
            covered += d.PointsLow <= 0 && d.PointsHigh >= 0 ? 1 : 0;
            var naive = 1.96 * Math.Sqrt((c.Ratio * (1 - c.Ratio) / c.Denominator) + (t.Ratio * (1 - t.Ratio) / t.Denominator)); // impressions as independent trials
            naiveCovered += Math.Abs(d.Points) <= naive ? 1 : 0;
        }

        output.WriteLine($"null experiment: the clustered interval covered 0 in {covered} of {Runs} runs; the per-impression one in {naiveCovered}");
        Assert.InRange(covered, 178, 198); // 95% of 200 is 190; a z of 1 would give about 136
        Assert.True(naiveCovered < covered - 20, $"per-impression intervals covered {naiveCovered}: the simulation has no clustering to correct");
    }

    /// <summary>Users with many impressions each (1 + geometric, mean 10) and their own click propensity (Beta, mean 5%), times <paramref name="lift"/>.</summary>
    private static RatioEstimate Simulate(Random random, int users, double lift)
    {
        var units = new List<(double, double)>(users);
        for (var u = 0; u < users; u++)
        {
            var impressions = 1 + (int)Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(0.9));
            var p = Math.Min(1, Beta(random, 0.5, 9.5) * lift);
            var clicks = 0;
            for (var j = 0; j < impressions; j++)
            {
                clicks += random.NextDouble() < p ? 1 : 0;
            }

            units.Add((clicks, impressions));
        }

        return RatioEstimate.Of(units);
    }

    private static double Beta(Random random, double a, double b)
    {
        var x = Gamma(random, a);
        return x / (x + Gamma(random, b));
    }

    /// <summary>Marsaglia and Tsang's gamma sampler (with the boost for shapes below 1).</summary>
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                var u1 = 1 - random.NextDouble();
                x = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * random.NextDouble());
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = random.NextDouble();
            if (Math.Log(u) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }
}
