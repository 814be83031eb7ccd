using RecKit.Kernels;

namespace RecKit.Models;

/// <summary>
/// A model whose score is offset_u + x_u · y_i + b_i. Exposing that shape lets top-N for many users score
/// blocks of users at once (<see cref="FactorScoring.ScoreBlock"/>) instead of one matrix-vector product each.
/// </summary>
public interface IFactorModel : IRecommender
{
    int Factors { get; }

    /// <summary>The item side, packed once per model (item factors and biases).</summary>
    PackedItemFactors PackedItems { get; }

    /// <summary>
    /// Writes the user's vector and constant offset; false when the user is scored another way (cold-start
    /// fallback), in which case callers use <see cref="IRecommender.ScoreAll"/>.
    /// </summary>
    bool TryGetUserVector(int user, Span<float> vector, out float offset);
}
