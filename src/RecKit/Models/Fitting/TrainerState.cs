namespace RecKit.Models;

/// <summary>
/// What a trainer needs beyond the model to continue exactly where it stopped (Adam's moments and step counts):
/// named arrays, saved in a checkpoint beside the model and handed back through <see cref="TrainingContext.ResumeState"/>.
/// </summary>
public sealed class TrainerState
{
    public Dictionary<string, float[]> Floats { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int[]> Ints { get; } = new(StringComparer.Ordinal);

    /// <summary>An array the state must hold; a checkpoint without it is from another trainer or version.</summary>
    public float[] RequireValues(string name, int length) =>
        Floats.TryGetValue(name, out var values) && values.Length == length
            ? values
            : throw new ArgumentException($"The checkpoint's trainer state has no '{name}' of {length} values; it was written by another trainer or for other data.");

    /// <inheritdoc cref="RequireValues"/>
    public int[] RequireCounts(string name, int length) =>
        Ints.TryGetValue(name, out var values) && values.Length == length
            ? values
            : throw new ArgumentException($"The checkpoint's trainer state has no '{name}' of {length} values; it was written by another trainer or for other data.");
}
