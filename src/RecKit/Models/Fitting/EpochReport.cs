using RecKit.Models;

namespace RecKit.Models;

/// <summary>
/// The end of one epoch: its number (1-based), mean loss, duration, and the model as it now stands.
/// </summary>
/// <remarks>
/// The model is a copy of the trainer's live state, made only when an observer reads <see cref="Model"/>: an
/// observer that only logs the loss costs no copy of a large model. Read it during the callback; afterwards the
/// trainer has moved on and reading it throws.
/// </remarks>
public sealed class EpochReport
{
    private readonly Func<IRecommender> _snapshot;
    private readonly Func<TrainerState>? _stateSnapshot;
    private IRecommender? _model;
    private TrainerState? _state;
    private bool _closed;

    public EpochReport(int epoch, int totalEpochs, double loss, TimeSpan elapsed, Func<IRecommender> snapshot, Func<TrainerState>? state = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _stateSnapshot = state;
        Epoch = epoch;
        TotalEpochs = totalEpochs;
        Loss = loss;
        Elapsed = elapsed;
        _snapshot = snapshot;
    }

    /// <summary>A report whose model already exists (an immutable model the trainer will not change).</summary>
    public EpochReport(int epoch, int totalEpochs, double loss, TimeSpan elapsed, IRecommender model)
        : this(epoch, totalEpochs, loss, elapsed, () => model)
    {
        _model = model;
    }

    public int Epoch { get; }

    public int TotalEpochs { get; }

    public double Loss { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>The model after this epoch, copied from the trainer on first read.</summary>
    public IRecommender Model
    {
        get
        {
            if (_model is null)
            {
                if (_closed)
                {
                    throw new InvalidOperationException($"The model of epoch {Epoch} can only be read during the epoch callback; keep a reference to it there.");
                }

                _model = _snapshot();
            }

            return _model;
        }
    }

    /// <summary>The trainer's own state beyond the model (null when the model is all it needs), copied on first read.</summary>
    public TrainerState? State
    {
        get
        {
            if (_state is null && _stateSnapshot is not null)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                _state = _stateSnapshot();
            }

            return _state;
        }
    }

    /// <summary>Called by the trainer when the callback returns: the live state will change from here on.</summary>
    internal void Close() => _closed = true;
}

/// <summary>What an epoch observer asks the trainer to do next.</summary>
public enum EpochDecision
{
    Continue,
    Stop,
}
