using System.Collections.Concurrent;

namespace RecKit.Serving;

/// <summary>
/// A user's folded vectors (ALS, BPR) for the serving bundle, by model: folded once after a change and reused by every
/// request until the user changes again or a new bundle is loaded (a new live state starts with none).
/// </summary>
public sealed class FoldCache
{
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    public int Count => _vectors.Count;

    /// <summary>The cached vector of <paramref name="model"/>, or the one <paramref name="fold"/> makes (kept for next time).</summary>
    public float[] GetOrFold(string model, Func<float[]> fold) => _vectors.TryGetValue(model, out var vector) ? vector : _vectors.GetOrAdd(model, _ => fold());
}
