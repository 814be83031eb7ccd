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
    private readonly IReadOnlyDictionary<string, string> _identity;
    private int _sinceBest;

    /// <param name="validation">Held-out interactions for the metric; null only checkpoints and logs the loss.</param>
    /// <param name="identity">
    /// What makes a checkpoint resumable by this run (model kind, options, data fingerprint): written into every
    /// checkpoint and compared by <see cref="LoadCheckpoint"/>.
    /// </param>
    public TrainingMonitor(Interactions train, Interactions? validation, EarlyStoppingOptions? options = null, Action<EpochLog>? log = null, IReadOnlyDictionary<string, string>? identity = null, CancellationToken cancellation = default)
    {
        _identity = identity ?? new Dictionary<string, string>();
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
    public TrainingContext Context(IProgress<TrainingProgress>? progress = null, IRecommender? resumeFrom = null, int completedEpochs = 0, TrainerState? resumeState = null) => new()
    {
        Progress = progress,
        OnEpochEnd = OnEpochEnd,
        ResumeFrom = resumeFrom,
        ResumeState = resumeState,
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
                Save(best, report, withState: false);
            }
        }
        else
        {
            _sinceBest++;
        }

        if (_options.CheckpointPath is { } checkpoint)
        {
            Save(checkpoint, report, withState: true);
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

    /// <summary>
    /// Reads a checkpoint for <see cref="TrainingContext.ResumeFrom"/>: the model, the epochs it has done and the trainer
    /// state, after checking that it was written by a run like this one (same model kind, same options but for the
    /// epoch count and threads, same data); a mismatch is refused with what differs.
    /// </summary>
    public static (IRecommender Model, int CompletedEpochs, SavedModel File) LoadCheckpoint(string path, IReadOnlyDictionary<string, string>? identity = null) =>
        CheckCheckpoint(ModelFile.Load(path), path, identity);

    /// <summary>The checks of <see cref="LoadCheckpoint"/> on a checkpoint already read from <paramref name="path"/>.</summary>
    public static (IRecommender Model, int CompletedEpochs, SavedModel File) CheckCheckpoint(SavedModel saved, string path, IReadOnlyDictionary<string, string>? identity = null)
    {
        ArgumentNullException.ThrowIfNull(saved);
        foreach (var (key, expected) in identity ?? new Dictionary<string, string>())
        {
            var found = saved.Metadata.GetValueOrDefault(key);
            if (found != expected && !(key == SettingsKey && SameSettings(found, expected)))
            {
                throw new ArgumentException(key switch
                {
                    ModelKey => $"{path} is a checkpoint of a '{found ?? "unknown"}' run; this run trains '{expected}'. Resume with that model, or choose another checkpoint path (earlyStopping.checkpointPath).",
                    DataKey => $"{path} was written while training on other data (fingerprint {found ?? "none"}; this run's data has {expected}): the same file, split and seed are needed to resume.",
                    SettingsKey => $"{path} was written with other model options ({found ?? "none"}; this run: {expected}); only the epoch count and threads may change on resume.",
                    _ => $"{path}: '{key}' is {found ?? "absent"} in the checkpoint and {expected} in this run.",
                });
            }
        }

        var epochs = saved.Metadata.TryGetValue("epoch", out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var e) ? e : 0;
        return (saved.Model, epochs, saved);
    }

    /// <summary>Takes the best-so-far epoch, its metric and model, and the patience count from a checkpoint, so that a resumed run chooses as an uninterrupted one would.</summary>
    public void Restore(SavedModel checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var metadata = checkpoint.Metadata;
        BestEpoch = Int(metadata, "bestEpoch");
        BestValue = metadata.TryGetValue("bestValue", out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : double.NegativeInfinity;
        _sinceBest = Int(metadata, "sinceBest");
        if (BestEpoch == 0)
        {
            return;
        }

        if (BestEpoch == Int(metadata, "epoch"))
        {
            BestModel = checkpoint.Model;
            return;
        }

        var path = _options.BestModelPath;
        var best = path is not null && File.Exists(path) ? ModelFile.Load(path) : null;
        if (best is null || Int(best.Metadata, "epoch") != BestEpoch)
        {
            throw new ArgumentException($"The checkpoint's best epoch is {BestEpoch}, but its model is not at {path ?? "(no best-model path)"}; resuming would forget it. Restore that file or train again without resuming.");
        }

        BestModel = best.Model;
    }

    public const string ModelKey = "model";
    public const string SettingsKey = "settings";
    public const string DataKey = "data";

    private static int Int(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>Options equal but for the keys that may change on resume.</summary>
    private static bool SameSettings(string? a, string? b)
    {
        static System.Text.Json.Nodes.JsonObject? Strip(string? json)
        {
            if (json is null || System.Text.Json.Nodes.JsonNode.Parse(json) is not System.Text.Json.Nodes.JsonObject obj)
            {
                return null;
            }

            foreach (var key in new[] { "epochs", "iterations", "threads" })
            {
                obj.Remove(key);
            }

            return obj;
        }

        return System.Text.Json.Nodes.JsonNode.DeepEquals(Strip(a), Strip(b));
    }

    private void Save(string path, EpochReport report, bool withState)
    {
        if (report.Model is not IPersistableModel persistable)
        {
            throw new InvalidOperationException($"{report.Model.GetType().Name} cannot be saved, so it cannot be checkpointed.");
        }

        var metadata = new Dictionary<string, string>(_identity)
        {
            ["epoch"] = report.Epoch.ToString(CultureInfo.InvariantCulture),
            ["totalEpochs"] = report.TotalEpochs.ToString(CultureInfo.InvariantCulture),
            ["loss"] = report.Loss.ToString("R", CultureInfo.InvariantCulture),
            ["bestEpoch"] = BestEpoch.ToString(CultureInfo.InvariantCulture),
            ["bestValue"] = BestValue.ToString("R", CultureInfo.InvariantCulture),
            ["sinceBest"] = _sinceBest.ToString(CultureInfo.InvariantCulture),
        };
        ModelFile.Save(path, persistable, _train.UserMap, _train.ItemMap, metadata, state: withState ? report.State : null);
    }

    private static int MetricK(string metric)
    {
        var at = metric.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && int.TryParse(metric.AsSpan(at + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) ? k : 10;
    }
}
