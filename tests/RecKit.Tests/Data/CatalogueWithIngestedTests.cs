using RecKit.Data;

namespace RecKit.Tests.Data;

/// <summary>Retraining's data: the original catalogue with what the service ingested, and without the users it erased.</summary>
public sealed class CatalogueWithIngestedTests
{
    [SkippableFact]
    public void AnErasedUser_LeavesTheOriginalData_TheirFeaturesAndTheUserMap()
    {
        Skip.IfNot(TestData.HasMl100k, TestData.Ml100kMissing); // ml-100k: it has user features
        var catalogue = Catalogue.Load(new CatalogueDescription { Path = TestData.Ml100k });
        var gone = catalogue.Data.UserMap.Ids[3];
        var kept = catalogue.Data.UserMap.Ids[4];
        var (merged, added, _) = CatalogueWithIngested.Add(catalogue, [new IngestedInteraction("newcomer", catalogue.Data.ItemMap.Ids[0], 5, 1_700_000_000_000)], new HashSet<string> { UserErasure.Hash(gone) });
        Assert.Equal(1, added);
        Assert.False(merged.Data.UserMap.TryGetIndex(gone, out _));
        Assert.Equal(catalogue.Data.UserCount, merged.Data.UserCount); // one erased, one new
        var before = catalogue.Data.UserMap.TryGetIndex(kept, out var b) ? b : -1;
        var after = merged.Data.UserMap.TryGetIndex(kept, out var a) ? a : -1;
        var rowsOf = (Interactions d, int u) => Enumerable.Range(0, d.Count).Count(k => d.Users[k] == u);
        Assert.Equal(catalogue.Data.Count - rowsOf(catalogue.Data, 3) + 1, merged.Data.Count);
        Assert.Equal(rowsOf(catalogue.Data, before), rowsOf(merged.Data, after));
        var features = catalogue.UserFeatures!;
        Assert.Equal(features.Values.RowColumns(before).ToArray(), merged.UserFeatures!.Values.RowColumns(after).ToArray());
        Assert.Equal(merged.Data.UserCount, merged.UserFeatures.RowCount);
    }

    [Fact]
    public void ItemsAddedAndUpdatedByTheService_JoinTheCatalogue_WithTheirFeaturesTitlesAndInteractions()
    {
        var catalogue = Catalogue.Load(new CatalogueDescription { Path = TestData.LatestSmall });
        var updated = catalogue.Data.ItemMap.Ids[2];
        var fields = (string genres) => new Dictionary<string, string?> { ["genres"] = genres };
        var (merged, added, skipped) = CatalogueWithIngested.Add(
            catalogue,
            [new IngestedInteraction("u-new", "film-new", 4, 1_700_000_000_000)],
            itemUpdates: [new FeatureUpdate("film-new", "A new film", fields("Comedy|Western")), new FeatureUpdate(updated, null, fields("Documentary|Made-up genre"))]);
        Assert.Equal((1, 0), (added, skipped)); // the interaction with the new item is data now
        Assert.True(merged.Data.ItemMap.TryGetIndex("film-new", out var film));
        Assert.Equal(catalogue.Data.ItemCount + 1, merged.Data.ItemCount);
        Assert.Equal("A new film", merged.Titles![film]);
        var features = merged.ItemFeatures!;
        Assert.Equal(merged.Data.ItemCount, features.RowCount);
        Assert.Equal(["Comedy", "Western"], features.Values.RowColumns(film).ToArray().Select(c => features.Columns[c]).Order());
        Assert.Equal(["Documentary", "Made-up genre"], features.Values.RowColumns(2).ToArray().Select(c => features.Columns[c]).Order()); // a new genre: a new column
        Assert.Equal(catalogue.Titles![2], merged.Titles[2]); // no title given: the file's stays
        Assert.Equal(catalogue.ItemFeatures!.Values.RowColumns(3).ToArray().Select(c => catalogue.ItemFeatures.Columns[c]), features.Values.RowColumns(3).ToArray().Select(c => features.Columns[c]));
        Assert.Equal(merged.Data.ItemCount, merged.Tags!.RowCount);
    }

    [Fact]
    public void ADeletedItem_LeavesTheData_ItsFeaturesTagsAndTitle()
    {
        var catalogue = Catalogue.Load(new CatalogueDescription { Path = TestData.LatestSmall });
        var gone = catalogue.Data.ItemMap.Ids[5];
        var next = catalogue.Data.ItemMap.Ids[6];
        var (merged, _, skipped) = CatalogueWithIngested.Add(catalogue, [new IngestedInteraction("u", gone, 4, 1_700_000_000_000)], null, new HashSet<string> { gone });
        Assert.Equal(1, skipped); // an ingested interaction with it is not data either
        Assert.False(merged.Data.ItemMap.TryGetIndex(gone, out _));
        Assert.Equal(catalogue.Data.ItemCount - 1, merged.Data.ItemCount);
        Assert.Equal(catalogue.Data.Count - Enumerable.Range(0, catalogue.Data.Count).Count(k => catalogue.Data.Items[k] == 5), merged.Data.Count);
        Assert.True(merged.Data.ItemMap.TryGetIndex(next, out var moved));
        Assert.Equal(5, moved);
        Assert.Equal(catalogue.Title(6), merged.Title(5));
        Assert.Equal(catalogue.ItemFeatures!.Values.RowColumns(6).ToArray(), merged.ItemFeatures!.Values.RowColumns(5).ToArray());
        Assert.Equal(merged.Data.ItemCount, merged.ItemFeatures.RowCount);
        Assert.Equal(merged.Data.ItemCount, merged.Tags!.RowCount);
    }
}
