using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;
using RecKit.Training;

namespace RecKit.Tests.Training;

/// <summary>A run stopped after a checkpoint and resumed ends exactly where an uninterrupted run ends.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Models => new()
    {
        { "bpr", """{ "optimizer": "Hogwild", "factors": 8, "epochs": 6, "learningRate": 0.05, "threads": 1 }""" },
        { "bpr", """{ "optimizer": "Adam", "factors": 8, "epochs": 6, "batchSize": 64, "threads": 1 }""" },
        { "mf", """{ "factors": 8, "epochs": 6, "threads": 1 }""" },
        { "svd++", """{ "factors": 8, "epochs": 6, "threads": 1 }""" },
        { "als", """{ "factors": 8, "iterations": 6, "threads": 1 }""" },
    };

    private static LatentFactorModel Train(string name, string json, Interactions data, int stopAfter, string checkpoint, bool resume)
    {
        var settings = JsonNode.Parse(json)!.AsObject();
        var identity = new Dictionary<string, string> { [TrainingMonitor.ModelKey] = name, [TrainingMonitor.SettingsKey] = settings.ToJsonString(), [TrainingMonitor.DataKey] = DataFingerprint.Of(data) };
        var monitor = new TrainingMonitor(data, null, new EarlyStoppingOptions { Patience = 0, CheckpointPath = checkpoint }, identity: identity);
        IRecommender? from = null;
        TrainerState? state = null;
        var completed = 0;
        if (resume)
        {
            (from, completed, var file) = TrainingMonitor.LoadCheckpoint(checkpoint, identity);
            state = file.State;
            monitor.Restore(file);
        }

        var context = monitor.Context(resumeFrom: from, completedEpochs: completed, resumeState: state);
        var stopping = new TrainingContext
        {
            OnEpochEnd = report => monitor.OnEpochEnd(report) == EpochDecision.Stop || report.Epoch >= stopAfter ? EpochDecision.Stop : EpochDecision.Continue,
            ResumeFrom = context.ResumeFrom,
            ResumeState = context.ResumeState,
            CompletedEpochs = context.CompletedEpochs,
        };
        return (LatentFactorModel)ModelSpec.Read(name, settings).Fit(new ModelInputs(data) { Context = stopping });
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ResumedSingleThreadRun_EqualsAnUninterruptedOne(string name, string json)
    {
        var data = TestData.Synthetic();
        var whole = Train(name, json, data, int.MaxValue, Path.Combine(_dir, "whole.ckpt"), resume: false);
        var checkpoint = Path.Combine(_dir, "part.ckpt");
        Train(name, json, data, 3, checkpoint, resume: false);
        var resumed = Train(name, json, data, int.MaxValue, checkpoint, resume: true);
        Assert.Equal(whole.AllUserFactors.ToArray(), resumed.AllUserFactors.ToArray());
        Assert.Equal(whole.AllItemFactors.ToArray(), resumed.AllItemFactors.ToArray());
        Assert.Equal(whole.ItemBiases.ToArray(), resumed.ItemBiases.ToArray());
    }

    [Fact]
    public void ACheckpointOfAnotherModel_OtherOptionsOrOtherData_IsRefused()
    {
        var data = TestData.Synthetic();
        var checkpoint = Path.Combine(_dir, "bpr.ckpt");
        const string Bpr = """{ "optimizer": "Hogwild", "factors": 8, "epochs": 2, "threads": 1 }""";
        Train("bpr", Bpr, data, int.MaxValue, checkpoint, resume: false);
        var kind = Assert.Throws<ArgumentException>(() => Train("als", """{ "factors": 8, "iterations": 2 }""", data, int.MaxValue, checkpoint, resume: true));
        Assert.Contains("checkpoint of a 'bpr' run; this run trains 'als'", kind.Message, StringComparison.Ordinal);
        var options = Assert.Throws<ArgumentException>(() => Train("bpr", """{ "optimizer": "Hogwild", "factors": 16, "epochs": 2, "threads": 1 }""", data, int.MaxValue, checkpoint, resume: true));
        Assert.Contains("other model options", options.Message, StringComparison.Ordinal);
        var other = Splitter.PerUser(data, 0.2, 1).Train;
        var otherData = Assert.Throws<ArgumentException>(() => Train("bpr", Bpr, other, int.MaxValue, checkpoint, resume: true));
        Assert.Contains("other data", otherData.Message, StringComparison.Ordinal);

        // More epochs (or other threads) on resume is allowed: it is how a run is continued.
        Train("bpr", """{ "optimizer": "Hogwild", "factors": 8, "epochs": 4, "threads": 2 }""", data, int.MaxValue, checkpoint, resume: true);
    }

    [Fact]
    public void Restore_RemembersTheBestEpoch_SoAWorseOneIsNotKeptAsBest()
    {
        var split = Splitter.PerUser(TestData.Synthetic(), 0.25, 3);
        var checkpoint = Path.Combine(_dir, "m.ckpt");
        var options = new EarlyStoppingOptions { Patience = 0, CheckpointPath = checkpoint, BestModelPath = checkpoint + ".best", SampleUsers = 1000 };
        var good = new AlsTrainer(new AlsOptions { Factors = 8, Iterations = 5, Regularization = 1 }).Fit(split.Train);
        var bad = new PopularityTrainer(new PopularityOptions()).Fit(TestData.Build(split.Train.UserCount, split.Train.ItemCount, (0, 0, 1)));
        var first = new TrainingMonitor(split.Train, split.Test, options);
        first.OnEpochEnd(new EpochReport(1, 3, 1, TimeSpan.Zero, good));
        first.OnEpochEnd(new EpochReport(2, 3, 1, TimeSpan.Zero, bad));
        Assert.Equal(1, first.BestEpoch);

        var (_, completed, file) = TrainingMonitor.LoadCheckpoint(checkpoint);
        Assert.Equal(2, completed);
        var resumed = new TrainingMonitor(split.Train, split.Test, options);
        resumed.Restore(file);
        resumed.OnEpochEnd(new EpochReport(3, 3, 1, TimeSpan.Zero, bad));
        Assert.Equal(1, resumed.BestEpoch);
        Assert.Equal(first.BestValue, resumed.BestValue);
        Assert.NotNull(resumed.BestModel);
        var scores = new float[good.ItemCount];
        var expected = new float[good.ItemCount];
        resumed.BestModel!.ScoreAll(0, scores);
        good.ScoreAll(0, expected);
        Assert.Equal(expected, scores);
    }
}
