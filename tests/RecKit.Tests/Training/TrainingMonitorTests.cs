using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;
using RecKit.Training;

namespace RecKit.Tests.Training;

public sealed class TrainingMonitorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-monitor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A stand-in iterative trainer: every epoch yields the same popularity model.</summary>
    private static int RunEpochs(Interactions train, TrainingContext context, int epochs)
    {
        var model = new PopularityTrainer().Fit(train);
        var epoch = context.CompletedEpochs;
        while (epoch < epochs)
        {
            epoch++;
            if (context.OnEpochEnd?.Invoke(new EpochReport(epoch, epochs, 1.0 / epoch, TimeSpan.Zero, model)) == EpochDecision.Stop)
            {
                break;
            }
        }

        return epoch;
    }

    private static Split Data() => Splitter.PerUser(TestData.Synthetic(), 0.25, 3);

    [Fact]
    public void NoImprovement_StopsAfterPatience_AndKeepsFirstBest()
    {
        var split = Data();
        var monitor = new TrainingMonitor(split.Train, split.Test, new EarlyStoppingOptions { Patience = 2, CheckpointPath = null });
        var ran = RunEpochs(split.Train, monitor.Context(), 10);
        Assert.Equal(3, ran); // epoch 1 best, epochs 2 and 3 do not improve
        Assert.Equal(1, monitor.BestEpoch);
        Assert.Equal([true, false, false], monitor.History.Select(h => h.IsBest));
        Assert.All(monitor.History, h => Assert.NotNull(h.Validation));
    }

    [Fact]
    public void Checkpoint_IsWrittenEachEpoch_AndResumeContinuesFromItsEpoch()
    {
        var split = Data();
        var path = Path.Combine(_dir, "model.ckpt");
        var monitor = new TrainingMonitor(split.Train, split.Test, new EarlyStoppingOptions { Patience = 0, CheckpointPath = path });
        Assert.Equal(4, RunEpochs(split.Train, monitor.Context(), 4));
        var (model, completed, _) = TrainingMonitor.LoadCheckpoint(path);
        Assert.Equal(4, completed);
        Assert.IsType<PopularityModel>(model);

        var resumed = new TrainingMonitor(split.Train, split.Test, new EarlyStoppingOptions { Patience = 0, CheckpointPath = path });
        Assert.Equal(6, RunEpochs(split.Train, resumed.Context(resumeFrom: model, completedEpochs: completed), 6));
        Assert.Equal([5, 6], resumed.History.Select(h => h.Epoch));
    }

    [Fact]
    public void Cancellation_StopsAfterSavingTheEpoch()
    {
        var split = Data();
        var path = Path.Combine(_dir, "cancel.ckpt");
        using var cts = new CancellationTokenSource();
        var epochs = 0;
        var monitor = new TrainingMonitor(split.Train, null, new EarlyStoppingOptions { CheckpointPath = path }, log: _ =>
        {
            if (++epochs == 2)
            {
                cts.Cancel();
            }
        }, cancellation: cts.Token);
        Assert.Equal(2, RunEpochs(split.Train, monitor.Context(), 10));
        Assert.True(monitor.WasCancelled);
        Assert.Equal(2, TrainingMonitor.LoadCheckpoint(path).CompletedEpochs);
    }
}
