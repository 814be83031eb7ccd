using RecKit.Kernels;
using RecKit.Models;

namespace RecKit.Bench;

/// <summary>A factor model with given (random) factors, for speed runs that need realistic scoring cost.</summary>
internal sealed class RandomFactorModel(float[] u, float[] v, int users, int items, int factors) : IFactorModel
{
    public int UserCount => users;

    public int ItemCount => items;

    public int Factors => factors;

    public PackedItemFactors PackedItems { get; } = new(v, items, factors);

    public bool IsKnownUser(int user) => true;

    public void ScoreAll(int user, Span<float> scores) => FactorScoring.ScoreAll(u.AsSpan(user * factors, factors), PackedItems, scores);

    public void Score(int user, ReadOnlySpan<int> list, Span<float> scores) => throw new NotSupportedException();

    public bool TryGetUserVector(int user, Span<float> vector, out float offset)
    {
        offset = 0;
        u.AsSpan(user * factors, factors).CopyTo(vector);
        return true;
    }
}
