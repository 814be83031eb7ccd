using RecKit.Kernels;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Tests.Kernels;

public class FactorScoringTests
{
    private static float[] RandomArray(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 65, 7)]
    [InlineData(64, 200, 64)]
    [InlineData(5, 128, 32)]
    public void ScoreBlock_AgreesWithPlainDotProducts(int users, int items, int factors)
    {
        var random = new Random(users + items + factors);
        var u = RandomArray(random, users * factors);
        var v = RandomArray(random, items * factors);
        var b = RandomArray(random, items);
        var expected = FactorScoringReference.ScoreBlock(u, v, b, items, factors);
        var actual = new float[users * items];
        FactorScoring.ScoreBlock(u, new PackedItemFactors(v, items, factors, b), actual);
        for (var j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], actual[j], 1e-4f);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(130, 7)]
    [InlineData(200, 64)]
    public void ScoreItems_AgreesWithPlainDotProducts_ForAnySubsetInAnyOrder(int items, int factors)
    {
        var random = new Random(items + factors);
        var v = RandomArray(random, items * factors);
        var b = RandomArray(random, items);
        var query = RandomArray(random, factors);
        var expected = FactorScoringReference.ScoreBlock(query, v, b, items, factors);
        int[] subset = [.. Enumerable.Range(0, items).Where(i => i % 3 != 1).Reverse()];
        var actual = new float[subset.Length];
        var packed = new PackedItemFactors(v, items, factors, b);
        packed.ScoreItems(query, subset, actual);
        for (var j = 0; j < subset.Length; j++)
        {
            Assert.Equal(expected[subset[j]], actual[j], 1e-4f);
        }

        packed.ScoreItems(query, subset, actual, offset: 2.5f); // a user's constant, added as the model's own scores add it
        for (var j = 0; j < subset.Length; j++)
        {
            Assert.Equal(expected[subset[j]] + 2.5f, actual[j], 1e-4f);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => packed.ScoreItems(query, [items], new float[1]));
        Assert.Throws<ArgumentException>(() => packed.ScoreItems(query.AsSpan(1), [0], new float[1]));
    }

    [Fact]
    public void ForUsers_BlockedPathEqualsPerUserPath()
    {
        var random = new Random(3);
        const int users = 150, items = 301, factors = 16;
        var model = new DenseFactorModel(RandomArray(random, users * factors), RandomArray(random, items * factors), RandomArray(random, items), users, items, factors);
        var seen = TestData.Build(users, items, [.. Enumerable.Range(0, 600).Select(j => (j % users, (j * 7) % items, 1f))]).ByUser;
        var blocked = Recommendations.ForUsers(model, 10, seen);
        for (var user = 0; user < users; user++)
        {
            var single = Recommendations.ForUser(model, user, 10, seen);
            Assert.Equal(single.Items, blocked[user].Items);
        }
    }

    /// <summary>A plain factor model: users with index ≡ 0 (mod 10) take the fallback path.</summary>
    private sealed class DenseFactorModel(float[] u, float[] v, float[] b, int users, int items, int factors) : IFactorModel
    {
        public int UserCount => users;

        public int ItemCount => items;

        public int Factors => factors;

        public PackedItemFactors PackedItems { get; } = new(v, items, factors, b);

        public bool IsKnownUser(int user) => user % 10 != 0;

        public void ScoreAll(int user, Span<float> scores)
        {
            if (!IsKnownUser(user))
            {
                b.CopyTo(scores);
                return;
            }

            for (var i = 0; i < items; i++)
            {
                scores[i] = 0.5f + b[i] + System.Numerics.Tensors.TensorPrimitives.Dot(u.AsSpan(user * factors, factors), v.AsSpan(i * factors, factors));
            }
        }

        public void Score(int user, ReadOnlySpan<int> itemList, Span<float> scores) => throw new NotSupportedException();

        public bool TryGetUserVector(int user, Span<float> vector, out float offset)
        {
            offset = 0.5f;
            u.AsSpan(user * factors, factors).CopyTo(vector);
            return IsKnownUser(user);
        }
    }
}
