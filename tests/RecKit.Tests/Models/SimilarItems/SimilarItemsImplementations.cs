using RecKit.Data;
using RecKit.Models;
using RecKit.Serving;

namespace RecKit.Tests.Models.SimilarItems;

public sealed class ItemKnnSimilarItemsTests : SimilarItemsContract
{
    protected override ISimilarItems Build(Interactions data) => new ItemKnnTrainer().Fit(data);
}

public sealed class AlsSimilarItemsTests : SimilarItemsContract
{
    protected override ISimilarItems Build(Interactions data) => (ISimilarItems)new AlsTrainer(new AlsOptions { Factors = 8, Iterations = 4 }).Fit(data);
}

public sealed class TwoTowerSimilarItemsTests : SimilarItemsContract
{
    protected override ISimilarItems Build(Interactions data) =>
        new TwoTowerTrainer(null, ContentModelTests.Features(data.ItemCount), new TwoTowerOptions { Factors = 8, Epochs = 4, Seed = 3 }).Fit(data);
}

public sealed class EaseSimilarItemsTests : SimilarItemsContract
{
    protected override ISimilarItems Build(Interactions data) => new EaseTrainer().Fit(data);
}

public sealed class ContentSimilarItemsTests : SimilarItemsContract
{
    protected override ISimilarItems Build(Interactions data) => new ContentTrainer(ContentModelTests.Features(data.ItemCount)).Fit(data);
}

/// <summary>The serving layer's graph of a factor model's unit item vectors.</summary>
public sealed class CosineGraphSimilarItemsTests : SimilarItemsContract
{
    protected override ISimilarItems Build(Interactions data)
    {
        var als = (LatentFactorModel)new AlsTrainer(new AlsOptions { Factors = 8, Iterations = 4 }).Fit(data);
        return new CosineSimilarItems(als.PackedItems, CosineSimilarItems.BuildGraph(als.PackedItems), als);
    }
}
