using RecKit.Models;

namespace RecKit.Training;

/// <summary>The end of one epoch: its number (1-based), mean loss, duration, and the model as it now stands.</summary>
public sealed record EpochReport(int Epoch, int TotalEpochs, double Loss, TimeSpan Elapsed, IRecommender Model);

/// <summary>What an epoch observer asks the trainer to do next.</summary>
public enum EpochDecision
{
    Continue,
    Stop,
}
