using System.Globalization;
using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;

namespace RecKit.Training;

/// <summary>
/// Validate-then-refit training of one model (design note 2): a model fitted in epochs first chooses its epoch count
/// on a seeded share of each user's interactions held out (early stopping on the validation metric), then is refitted
/// on all the data for that many epochs; a one-pass model is fitted on all the data. Every phase checkpoints each epoch
/// with what a resume must match (model, options, data, phase), so a run stopped anywhere resumes exactly.
/// </summary>
public sealed class ValidatedTraining(IModelDefinition definition, JsonObject settings, EarlyStoppingOptions stopping, Action<EpochLog>? onEpoch = null, CancellationToken cancellation = default)
{
    public const string PhaseKey = "phase";
    public const string EpochsKey = "refitEpochs";
    public const string Select = "select-epochs";
    public const string Refit = "refit-all";
    public const string All = "all-data";

    /// <summary>What a run produced: the model (null when cancelled), the epochs it was trained for, and the options as trained.</summary>
    public sealed record Outcome(IRecommender? Model, bool WasCancelled, int Epochs, JsonObject Settings);

    /// <summary>What one phase produced.</summary>
    public sealed record PhaseResult(IRecommender Model, bool WasCancelled, int BestEpoch, double BestValue, IReadOnlyList<EpochLog> History);

    /// <summary>Whether the model is trained in epochs (and so is validated when a fraction is held out).</summary>
    public bool IsIterative => definition.EpochOption is not null;

    /// <summary>The options as trained: the configured ones, with the epoch count replaced when a phase chose it.</summary>
    public JsonObject SettingsFor(int? epochs)
    {
        var copy = (JsonObject)settings.DeepClone();
        if (epochs is { } e)
        {
            copy[definition.EpochOption ?? "epochs"] = e;
        }

        return copy;
    }

    /// <summary>
    /// Runs the phases on <paramref name="data"/>: selection on a <paramref name="fraction"/> held out per user (seeded),
    /// then the refit; <paramref name="resume"/> (a checkpoint) continues the phase it was written in.
    /// </summary>
    /// <param name="say">Lines worth telling the person (the split, the epoch chosen).</param>
    /// <param name="live">Runs a phase's fit, with a progress sink when the caller shows one.</param>
    public Outcome Run(Interactions data, double fraction, int seed, SavedModel? resume, IProgress<string>? say = null, Action<string, Action<IProgress<TrainingProgress>?>>? live = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        OptionCheck.Within("setting", "training.validationFraction", fraction, 0, 0.99);
        var validate = IsIterative && fraction > 0;
        if (!IsIterative)
        {
            say?.Report($"{definition.Name} is fitted in one pass (no epochs): trained on all the data, no validation needed");
        }

        int bestEpoch;
        if (validate && resume?.Metadata.GetValueOrDefault(PhaseKey) != Refit)
        {
            var parts = Splitter.PerUser(data, fraction, seed);
            say?.Report(string.Create(CultureInfo.InvariantCulture, $"validation: {parts.Test.Count:N0} interactions held out ({fraction:P0} per user, seed {seed}); {stopping.Metric} on up to {stopping.SampleUsers:N0} sampled users, patience {stopping.Patience}"));
            var select = Fit(parts.Train, parts.Test, Select, resume, null, live);
            if (select.WasCancelled)
            {
                return new Outcome(null, true, 0, settings);
            }

            bestEpoch = Math.Max(1, select.BestEpoch);
            say?.Report(string.Create(CultureInfo.InvariantCulture, $"validation chose epoch {bestEpoch} of {(select.History.Count > 0 ? select.History[^1].Epoch : bestEpoch)} run ({stopping.Metric} {select.BestValue:F4}); refitting on all {data.Count:N0} interactions for {bestEpoch} epochs"));
            resume = null;
        }
        else
        {
            bestEpoch = resume is not null && resume.Metadata.TryGetValue(EpochsKey, out var chosen) ? int.Parse(chosen, CultureInfo.InvariantCulture) : 0;
        }

        // Phase 2 (or the only phase): fit on all the data, for the chosen number of epochs when one was chosen.
        var final = Fit(data, null, validate ? Refit : All, resume, validate ? bestEpoch : null, live);
        return new Outcome(final.WasCancelled ? null : final.Model, final.WasCancelled, validate ? bestEpoch : final.History.Count, SettingsFor(validate ? bestEpoch : null));
    }

    /// <summary>One phase: the model fitted under the monitor, checkpointed with what a resume must match.</summary>
    public PhaseResult Fit(Interactions train, Interactions? validation, string phase, SavedModel? resume, int? epochs = null, Action<string, Action<IProgress<TrainingProgress>?>>? live = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var options = SettingsFor(epochs);
        var identity = new Dictionary<string, string>
        {
            [TrainingMonitor.ModelKey] = definition.Name,
            [TrainingMonitor.SettingsKey] = options.ToJsonString(),
            [TrainingMonitor.DataKey] = DataFingerprint.Of(train),
            [PhaseKey] = phase,
            [EpochsKey] = (epochs ?? 0).ToString(CultureInfo.InvariantCulture),
        };
        var monitor = new TrainingMonitor(train, validation, validation is null ? stopping with { Patience = 0, BestModelPath = null } : stopping, onEpoch, identity, cancellation);
        IRecommender? from = null;
        TrainerState? state = null;
        var completed = 0;
        if (resume is not null)
        {
            (from, completed, var file) = TrainingMonitor.CheckCheckpoint(resume, stopping.CheckpointPath!, identity);
            state = file.State;
            monitor.Restore(file);
        }

        IRecommender trained = null!;
        void Body(IProgress<TrainingProgress>? progress) =>
            trained = definition.Fit(definition.ReadOptions(options), new ModelInputs(train) { Context = monitor.Context(progress, from, completed, state) });
        if (live is null)
        {
            Body(null);
        }
        else
        {
            live(definition.Name, Body);
        }

        // With validation the best epoch is kept; without, the model as trained (every epoch counts).
        var model = validation is not null ? monitor.BestModel ?? trained : trained;
        return new PhaseResult(model, monitor.WasCancelled, monitor.BestEpoch, monitor.BestValue, monitor.History);
    }
}
