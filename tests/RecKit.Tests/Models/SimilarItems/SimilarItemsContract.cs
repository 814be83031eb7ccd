using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models.SimilarItems;

/// <summary>
/// What every <see cref="ISimilarItems"/> promises (item-kNN, the factor models, EASE, the content model, the cosine
/// graph of the serving layer): at most k items, each once, best first, never the item itself, finite similarities, any
/// k (beyond the catalogue too), the same answer every time; an item with interactions has similar items.
/// </summary>
public abstract class SimilarItemsContract
{
    /// <summary>Two taste groups over 60 items; items 58 and 59 have no interactions.</summary>
    protected static Interactions Data { get; } = TestData.Synthetic();

    protected abstract ISimilarItems Build(Interactions data);

    public static TheoryData<int> Ks() => [1, 5, 200];

    [Theory]
    [MemberData(nameof(Ks))]
    public void Answers_AtMostK_EachOnce_BestFirst_NeverTheItemItself(int k)
    {
        var model = Build(Data);
        for (var item = 0; item < 58; item++)
        {
            var (items, similarities) = model.SimilarItems(item, k);
            Assert.True(items.Length <= Math.Min(k, Data.ItemCount - 1), $"item {item}: {items.Length} items for k {k}");
            Assert.Equal(items.Length, similarities.Length);
            Assert.DoesNotContain(item, items);
            Assert.Equal(items.Length, items.Distinct().Count());
            Assert.All(items, i => Assert.InRange(i, 0, Data.ItemCount - 1));
            Assert.All(similarities, s => Assert.True(float.IsFinite(s), $"item {item}: similarity {s}"));
            Assert.Equal(similarities.OrderDescending(), similarities);
        }
    }

    [Fact]
    public void AnItemWithInteractions_HasSimilarItems_TheSameEveryTime()
    {
        var model = Build(Data);
        var (items, similarities) = model.SimilarItems(0, 5);
        Assert.NotEmpty(items);
        Assert.Equal(items, model.SimilarItems(0, 5).Items);
        Assert.Equal(similarities, model.SimilarItems(0, 5).Similarities);
    }
}
