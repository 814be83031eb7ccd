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
            Assert.Equal(expected.Items, actual.Items);
            for (var j = 0; j < expected.Features!.Length; j++)
            {
                Assert.Equal(expected.Features[j], actual.Features![j], 1e-4f); // the source's scores from its candidates alone
            }
        }

        // One index search per request of a user with a vector (a cold one is scored as before), no catalogue scan.
        Assert.Equal(queried, counting.Searches);
        Assert.True(queried >= fixture.Data.UserCount - 2, $"{queried} of {fixture.Data.UserCount} users have a vector");
    }

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
