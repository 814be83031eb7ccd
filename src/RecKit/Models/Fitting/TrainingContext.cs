using RecKit.Models;

namespace RecKit.Models;

/// <summary>What a caller hands to a fit: where to report progress, and how to cancel it.</summary>
public sealed class TrainingContext
{
    public static TrainingContext None { get; } = new();

    public IProgress<TrainingProgress>? Progress { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Called by iterative trainers after each epoch with the epoch's figures; returning
    /// <see cref="EpochDecision.Stop"/> ends training early (early stopping, Ctrl+C after a checkpoint).
    /// </summary>
    public Func<EpochReport, EpochDecision>? OnEpochEnd { get; init; }

    /// <summary>
    /// A model of the trainer's own kind to continue from (resume from a checkpoint, or warm start);
    /// trainers that cannot resume throw when it is set. Null trains from a fresh initialisation.
    /// </summary>
    public IRecommender? ResumeFrom { get; init; }

    /// <summary>The trainer state saved with <see cref="ResumeFrom"/> (Adam's moments), so that a resumed run continues exactly.</summary>
    public TrainerState? ResumeState { get; init; }

    /// <summary>Epochs already done by <see cref="ResumeFrom"/>; training continues with epoch CompletedEpochs + 1.</summary>
    public int CompletedEpochs { get; init; }

    /// <summary>
    /// Tells the observer, if any, that an epoch ended; <paramref name="snapshot"/> copies the live model and runs only
    /// when the observer reads <see cref="EpochReport.Model"/>. A loss that is not a finite number stops the fit with
    /// <see cref="TrainingDivergedException"/> (naming <paramref name="model"/> and <paramref name="remedy"/>), observer or not.
    /// </summary>
    internal EpochDecision EndEpoch(string model, string remedy, int epoch, int totalEpochs, double loss, TimeSpan elapsed, Func<IRecommender> snapshot, Func<TrainerState>? state = null)
    {
        if (!double.IsFinite(loss))
        {
            throw new TrainingDivergedException(model, epoch, loss, remedy);
        }

        if (OnEpochEnd is not { } onEpoch)
        {
            return EpochDecision.Continue;
        }

        var report = new EpochReport(epoch, totalEpochs, loss, elapsed, snapshot, state);
        try
        {
            return onEpoch(report);
        }
        finally
        {
            report.Close();
        }
    }

    internal void Report(string stage, long done, long total, double? loss = null) =>
        Progress?.Report(new TrainingProgress(stage, done, total, loss));
}

/// <summary>A step of a long fit: stage name, work done and total, and the running loss where there is one.</summary>
public readonly record struct TrainingProgress(string Stage, long Done, long Total, double? Loss);
