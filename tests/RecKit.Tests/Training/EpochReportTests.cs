using RecKit.Models;
using RecKit.Training;

namespace RecKit.Tests.Training;

public class EpochReportTests
{
    [Fact]
    public void Model_ReadInsideTheCallback_IsThatEpochsState_AndReadingLaterThrows()
    {
        var reports = new List<EpochReport>();
        var models = new List<LatentFactorModel>();
        var final = new AlsTrainer(new AlsOptions { Factors = 4, Iterations = 3 }).Fit(TestData.Synthetic(), new TrainingContext
        {
            OnEpochEnd = e =>
            {
                reports.Add(e);
                if (e.Epoch >= 2)
                {
                    models.Add((LatentFactorModel)e.Model);
                }

                return EpochDecision.Continue;
            },
        });

        Assert.Equal(3, reports.Count);
        Assert.Throws<InvalidOperationException>(() => reports[0].Model); // never read in its callback
        Assert.Same(models[0], reports[1].Model); // read in its callback: kept
        Assert.NotEqual(models[0].AllItemFactors.ToArray(), models[1].AllItemFactors.ToArray());
        Assert.Equal(final.AllItemFactors.ToArray(), models[1].AllItemFactors.ToArray());
    }
}
