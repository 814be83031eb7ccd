using RecKit.Models;
using RecKit.Ranking;
using RecKit.Serving;

namespace RecKit.Tests.Serving.Retrieval;

/// <summary>A stack whose candidate source has an approximate index takes that source's top-N from the index.</summary>
public class StackRetrievalTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    [Fact]
    public void ACandidateSourceWithAnApproximateIndex_RetrievesFromIt_AndTheStackAnswersAsWithTheExactScan()
    {
        var content = fixture.Content;
        var als = (IFactorModel)content.Models.Single(m => m.Name == "als").Model;
        var (vectors, bias) = als.PackedItems.Unpack();
        using var hnsw = HnswItemIndex.Build(vectors, bias, als.ItemCount, als.Factors, new HnswOptions { ExpansionSearch = 400 });
        var counting = new CountingIndex(hnsw);
        var exact = Stack(_ => null);
        var retrieving = Stack(name => name == "als" ? counting : null);

        var queried = 0;
        for (var u = 0; u < fixture.Data.UserCount; u++)
        {
            var user = BundleRecommendations.Known(fixture.Bundle, u);
            queried += als.TryGetUserVector(u, new float[als.Factors], out _) ? 1 : 0;
            var expected = exact.Recommend(user, 10);
            var actual = retrieving.Recommend(user, 10);

            // The same ranking: the index's scores differ from the scan's in the last float bits, so two items whose stack
            // scores tie to 1e-4 may come in either order (or trade the last place); everything else is identical.
            Assert.Equal(expected.Items.Length, actual.Items.Length);
            for (var j = 0; j < expected.Items.Length; j++)
            {
                Assert.Equal(expected.Scores[j], actual.Scores[j], 1e-4f);
                if (expected.Items[j] != actual.Items[j])
                {
                    Assert.Contains(actual.Items[j], expected.Items.Concat(exact.Recommend(user, 20).Items));
                    Assert.True(Math.Abs(expected.Scores[j] - ScoreOf(expected, actual.Items[j], exact.Recommend(user, 20))) < 1e-4f, $"user {u}: item {actual.Items[j]} at {j} is not a near-tie of {expected.Items[j]}");
                }
            }

            var width = expected.FeatureNames!.Count;
            foreach (var item in expected.Items.Intersect(actual.Items))
            {
                var (e, a) = (Array.IndexOf(expected.Items, item), Array.IndexOf(actual.Items, item));
                for (var f = 0; f < width; f++)
                {
                    Assert.Equal(expected.Features![(e * width) + f], actual.Features![(a * width) + f], 1e-4f); // the source's scores from its candidates alone
                }
            }
        }

        // One index search per request of a user with a vector (a cold one is scored as before), no catalogue scan.
        Assert.Equal(queried, counting.Searches);
        Assert.True(queried >= fixture.Data.UserCount - 2, $"{queried} of {fixture.Data.UserCount} users have a vector");
    }

    /// <summary>The exact stack's score of an item in its top 10 or, for an item that just missed it, its top 20.</summary>
    private static float ScoreOf(RankedItems top10, int item, RankedItems top20) =>
        Array.IndexOf(top10.Items, item) is >= 0 and var j ? top10.Scores[j] : top20.Scores[Array.IndexOf(top20.Items, item)];

    private StackRanker Stack(Func<string, IItemIndex?> indexOf) => fixture.LogisticStack(name =>
    {
        var loaded = fixture.Content.Models.Single(m => m.Name == name);
        return LiveScorer.Bind(name, loaded.Model, loaded.Options, indexOf(name) is { } index ? _ => index : null);
    });

    private sealed class CountingIndex(IItemIndex inner) : IItemIndex
    {
        public int Searches { get; private set; }

        public int Count => inner.Count;

        public int Dimensions => inner.Dimensions;

        public bool IsExact => false;

        public (int[] Items, float[] Scores) Search(ReadOnlySpan<float> query, float offset, int k, ReadOnlySpan<int> excluded, Func<int, bool>? allow)
        {
            Searches++;
            return inner.Search(query, offset, k, excluded, allow);
        }
    }
}
