using RecKit.Models;
using RecKit.Ranking;
using RecKit.Serving;

namespace RecKit.Tests.Serving;

/// <summary>
/// Serving takes item-kNN's top-N from its sparse scores and popularity's from its sorted order: the stack and the
/// single-model rankers answer exactly as when every source scores the whole catalogue (models wrapped so they cannot
/// take the shortcuts), for users as the bundle has them, users changed since, and visitors.
/// </summary>
public class SparseCandidateTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    [Fact]
    public void TheStack_AnswersAsWithWholeCatalogueScores()
    {
        var sparse = Stack(dense: false);
        var dense = Stack(dense: true);
        Func<int, bool> odd = i => i % 2 == 1;
        foreach (var user in Users())
        {
            foreach (var allow in new[] { null, odd })
            {
                var expected = dense.Recommend(user, 10, allow);
                var actual = sparse.Recommend(user, 10, allow);
                Assert.Equal(expected.Items, actual.Items);
                Assert.Equal(expected.Scores, actual.Scores);
                Assert.Equal(expected.Features, actual.Features);
            }
        }
    }

    [Theory]
    [InlineData("itemknn", 10)]
    [InlineData("itemknn", 60)]
    [InlineData("popularity", 10)]
    public void ASingleModel_AnswersAsWithWholeCatalogueScores(string name, int k)
    {
        var sparse = new FactorRanker(Scorer(name, dense: false));
        var dense = new FactorRanker(Scorer(name, dense: true));
        foreach (var user in Users())
        {
            var expected = dense.Recommend(user, k);
            var actual = sparse.Recommend(user, k);
            Assert.Equal(expected.Items, actual.Items);
            Assert.Equal(expected.Scores, actual.Scores);
        }
    }

    /// <summary>Every user as stored, every fifth with one more item since the bundle, and a few visitors.</summary>
    private IEnumerable<LiveUser> Users()
    {
        var data = fixture.Data;
        for (var u = 0; u < data.UserCount; u++)
        {
            var stored = BundleRecommendations.Known(fixture.Bundle, u);
            yield return stored;
            if (u % 5 == 0)
            {
                var extra = Enumerable.Range(0, data.ItemCount).First(i => Array.BinarySearch(stored.History, i) < 0);
                var history = stored.History.Append(extra).Order().ToArray();
                yield return new LiveUser(stored.Id, u, history, Array.ConvertAll(history, _ => 1f), history, Changed: true);
            }
        }

        yield return LiveUser.Visitor([0, 1, 2]);
        yield return LiveUser.Visitor([data.ItemCount - 1]);
    }

    private LiveScorer Scorer(string name, bool dense)
    {
        var loaded = fixture.Content.Models.Single(m => m.Name == name);
        var scorer = LiveScorer.Bind(name, loaded.Model, loaded.Options);
        if (!dense || name is not ("itemknn" or "popularity"))
        {
            return scorer; // the other models never took these shortcuts
        }

        var definition = ModelDefinitions.Get(name);
        var history = definition.BindHistoryScorer(loaded.Model, definition.ReadOptions(loaded.Options));
        return new LiveScorer(name, new WholeCatalogue(loaded.Model), history is null ? null : new WholeCatalogueHistory(history), scorer.Index);
    }

    private StackRanker Stack(bool dense) => fixture.LogisticStack(name => Scorer(name, dense));

    /// <summary>A model seen only through <see cref="IRecommender"/> and <see cref="IRatingPredictor"/>: no sparse scores, no sorted order.</summary>
    private sealed class WholeCatalogue(IRecommender inner) : IRecommender, IRatingPredictor
    {
        public int UserCount => inner.UserCount;

        public int ItemCount => inner.ItemCount;

        public bool PredictsRatings => inner is IRatingPredictor { PredictsRatings: true };

        public bool IsKnownUser(int user) => inner.IsKnownUser(user);

        public void ScoreAll(int user, Span<float> scores) => inner.ScoreAll(user, scores);

        public void Score(int user, ReadOnlySpan<int> items, Span<float> scores) => inner.Score(user, items, scores);

        public float PredictRating(int user, int item) => ((IRatingPredictor)inner).PredictRating(user, item);
    }

    private sealed class WholeCatalogueHistory(IHistoryScorer inner) : IHistoryScorer
    {
        public void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> scores) => inner.ScoreHistory(items, weights, scores);
    }
}
