using System.Globalization;
using RecKit.Data;
using RecKit.Evaluation;
using RecKit.Models;
using RecKit.Persistence;

namespace RecKit.Training;

/// <summary>
/// The training loop people expect, for any iterative trainer: after each epoch it evaluates the model on a
/// seeded sample of validation users, writes a checkpoint, remembers the best model, and asks the trainer to
/// stop when the metric has not improved for <see cref="EarlyStoppingOptions.Patience"/> epochs or when the
/// run was cancelled (Ctrl+C stops after the checkpoint of the epoch under way).
/// </summary>
public sealed class TrainingMonitor
{
    private readonly Interactions _train;
    private readonly Interactions? _validation;
    private readonly EarlyStoppingOptions _options;
    private readonly CancellationToken _cancellation;
    private readonly Action<EpochLog>? _log;
    private readonly List<EpochLog> _history = [];
    private int _sinceBest;

    /// <param name="validation">Held-out interactions for the metric; null only checkpoints and logs the loss.</param>
    public TrainingMonitor(Interactions train, Interactions? validation, EarlyStoppingOptions? options = null, Action<EpochLog>? log = null, CancellationToken cancellation = default)
    {
        _train = train;
        _validation = validation;
        _options = options ?? new EarlyStoppingOptions();
        _options.Validate();
        _cancellation = cancellation;
        _log = log;
    }

    public IReadOnlyList<EpochLog> History => _history;

    /// <summary>The model of the best epoch (by validation metric; the last epoch when there is no validation).</summary>
    public IRecommender? BestModel { get; private set; }

    public int BestEpoch { get; private set; }

    public double BestValue { get; private set; } = double.NegativeInfinity;

    /// <summary>True when the fit ended because of cancellation rather than epochs or patience.</summary>
    public bool WasCancelled { get; private set; }

    /// <summary>A context for the trainer that routes epochs through this monitor, keeping the caller's progress sink.</summary>
    public TrainingContext Context(IProgress<TrainingProgress>? progress = null, IRecommender? resumeFrom = null, int completedEpochs = 0) => new()
    {
        Progress = progress,
        OnEpochEnd = OnEpochEnd,
        ResumeFrom = resumeFrom,
        CompletedEpochs = completedEpochs,
        // The trainer itself is not cancelled mid-epoch: the monitor stops it cleanly at the epoch's end.
        Cancellation = CancellationToken.None,
    };

    /// <summary>Called by the trainer after each epoch.</summary>
    public EpochDecision OnEpochEnd(EpochReport report)
    {
        double? value = null;
        var isBest = false;
        if (_validation is not null)
        {
            var result = Evaluator.Evaluate(report.Model, _train, _validation, new EvaluationOptions
            {
                Ks = [MetricK(_options.Metric)],
                RelevanceThreshold = _options.RelevanceThreshold,
                SampleUsers = _options.SampleUsers,
                Seed = _options.Seed,
                ComputeAuc = _options.Metric == "AUC",
            });
            value = result[_options.Metric];
            isBest = value > BestValue + _options.MinDelta || BestModel is null;
        }
        else
        {
            isBest = true;
        }

        if (isBest)
        {
            BestModel = report.Model;
            BestEpoch = report.Epoch;
            BestValue = value ?? double.NaN;
            _sinceBest = 0;
            if (_options.BestModelPath is { } best)
            {
                Save(best, report);
            }
        }
        else
        {
            _sinceBest++;
        }

        if (_options.CheckpointPath is { } checkpoint)
        {
            Save(checkpoint, report);
        }

        var log = new EpochLog(report.Epoch, report.TotalEpochs, report.Loss, value, isBest, report.Elapsed);
        _history.Add(log);
        _log?.Invoke(log);
        if (_cancellation.IsCancellationRequested)
        {
            WasCancelled = true;
            return EpochDecision.Stop;
        }

        return _options.Patience > 0 && _sinceBest >= _options.Patience ? EpochDecision.Stop : EpochDecision.Continue;
    }

    /// <summary>Reads a checkpoint: the model and how many epochs it has done, for <see cref="TrainingContext.ResumeFrom"/>.</summary>
    public static (IRecommender Model, int CompletedEpochs, SavedModel File) LoadCheckpoint(string path)
    {
        var saved = ModelFile.Load(path);
        var epochs = saved.Metadata.TryGetValue("epoch", out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var e) ? e : 0;
        return (saved.Model, epochs, saved);
    }

    private void Save(string path, EpochReport report)
    {
        if (report.Model is not IPersistableModel persistable)
        {
            throw new InvalidOperationException($"{report.Model.GetType().Name} cannot be saved, so it cannot be checkpointed.");
        }

        ModelFile.Save(path, persistable, _train.UserMap, _train.ItemMap, new Dictionary<string, string>
        {
            ["epoch"] = report.Epoch.ToString(CultureInfo.InvariantCulture),
            ["totalEpochs"] = report.TotalEpochs.ToString(CultureInfo.InvariantCulture),
            ["loss"] = report.Loss.ToString("R", CultureInfo.InvariantCulture),
        });
    }

    private static int MetricK(string metric)
    {
        var at = metric.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && int.TryParse(metric.AsSpan(at + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) ? k : 10;
    }
}
