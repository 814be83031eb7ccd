using RecKit.Kernels;
using RecKit.Models;
using RecKit.Serving;

namespace RecKit.Tests.Serving.Retrieval;

/// <summary>
/// The similar-items graph of a factor model must give (nearly) the model's own answers: the cosine of item vectors by a
/// full scan (<see cref="LatentFactorModel.SimilarItems"/>), on a catalogue shaped like trained factors (clusters, a long
/// tail of short vectors, a few zero ones).
/// </summary>
public sealed class CosineSimilarItemsTests
{
    private const int Items = 3000;
    private const int Factors = 16;

    private static LatentFactorModel Model(int seed)
    {
        var random = new Random(seed);
        var centres = new float[20 * Factors];
        for (var j = 0; j < centres.Length; j++)
        {
            centres[j] = (float)((random.NextDouble() * 2) - 1);
        }

        var itemFactors = new float[Items * Factors];
        for (var i = 0; i < Items; i++)
        {
            var cluster = random.Next(20);
            var length = i % 500 == 7 ? 0f : (float)Math.Pow(1 + i, -0.9) * 20; // long-tailed norms, some zero
            for (var f = 0; f < Factors; f++)
            {
                itemFactors[(i * Factors) + f] = length * (centres[(cluster * Factors) + f] + (float)((random.NextDouble() - 0.5) * 0.6));
            }
        }

        return new LatentFactorModel("als", Factors, new float[Factors], itemFactors, new float[Items], [0f], new float[Items], [true], null);
    }

    [Fact]
    public void Answers_AreTheModelsOwnScan_NearlyAlways_NeverTheItemItself()
    {
        var model = Model(1);
        using var graph = CosineSimilarItems.BuildGraph(model.PackedItems);
        var similar = new CosineSimilarItems(model.PackedItems, graph, model);
        double found = 0, total = 0;
        var vector = new float[Factors];
        var other = new float[Factors];
        int[] Truth(int item) => model.SimilarItems(item, 10).Items;
        for (var item = 1; item < Items; item += 3)
        {
            if (item % 500 == 7)
            {
                Assert.Empty(similar.SimilarItems(item, 10).Items); // a zero vector is similar to nothing, as in the scan
                Assert.Empty(Truth(item));
                continue;
            }

            var expected = Truth(item);
            var (items, similarities) = similar.SimilarItems(item, 10);
            Assert.Equal(10, items.Length);
            Assert.DoesNotContain(item, items);
            Assert.Equal(similarities.OrderDescending(), similarities);
            model.PackedItems.CopyItem(item, vector);
            for (var j = 0; j < items.Length; j++)
            {
                model.PackedItems.CopyItem(items[j], other);
                var cosine = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(vector, other);
                Assert.Equal(cosine, similarities[j], 1e-4f); // the score is the cosine, not a distance
            }

            found += items.Intersect(expected).Count();
            total += expected.Length;
        }

        Assert.True(found / total >= 0.95, $"recall@10 against the scan: {found / total:F3}");
    }

    [Fact]
    public void MoreThanTheCatalogue_GivesEveryOtherItem()
    {
        // A graph's walk does not reach every item (it came back with 2,991 of 2,999 once): the scan answers then.
        var model = Model(2);
        using var graph = CosineSimilarItems.BuildGraph(model.PackedItems);
        var (items, _) = new CosineSimilarItems(model.PackedItems, graph, model).SimilarItems(5, Items + 10);
        Assert.Equal(Items - 1, items.Length);
        Assert.Equal(Enumerable.Range(0, Items).Where(i => i != 5), items.Order());
    }

    [Fact]
    public void AGraphOfOtherItems_IsRefused()
    {
        var model = Model(3);
        var fewer = new PackedItemFactors(new float[10 * Factors], 10, Factors);
        using var graph = CosineSimilarItems.BuildGraph(fewer);
        Assert.Contains("10 items", Assert.Throws<InvalidDataException>(() => new CosineSimilarItems(model.PackedItems, graph, model)).Message, StringComparison.Ordinal);
    }
}
