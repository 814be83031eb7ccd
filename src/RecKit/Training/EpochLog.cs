namespace RecKit.Training;

/// <summary>One epoch as the monitor saw it: loss, validation metric, whether it was the best so far.</summary>
public sealed record EpochLog(int Epoch, int TotalEpochs, double Loss, double? Validation, bool IsBest, TimeSpan Elapsed);
