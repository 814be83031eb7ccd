using System.Text;
using RecKit.Data;

namespace RecKit.Tests.Data;

public sealed class MovieLensTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-movielens-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LatestSmall_CatalogHasQuotedTitlesAndGenres()
    {
        var ratings = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var catalog = MovieLens.LoadLatestItemMetadata(TestData.LatestSmall, ratings.ItemMap);
        // 9,742 movies listed, 9,724 rated: 18 entries have no ratings.
        Assert.Equal(18, catalog.UnmatchedEntries);
        Assert.Equal("Toy Story (1995)", catalog.Title(ratings.ItemMap.GetIndex("1")));
        // A title with a comma is quoted in the file.
        Assert.Equal("American President, The (1995)", catalog.Title(ratings.ItemMap.GetIndex("11")));
        Assert.Equal(19, catalog.Genres.Columns.Count); // 20 listed genres less "(no genres listed)"
        var toyStory = catalog.Genres.Values.RowColumns(ratings.ItemMap.GetIndex("1")).ToArray().Select(c => catalog.Genres.Columns[c]).ToHashSet();
        Assert.Equal(["Adventure", "Animation", "Children", "Comedy", "Fantasy"], toyStory.Order());
    }

    [Fact]
    public void LatestSmall_TagsAreCountsPerItem()
    {
        var ratings = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var tags = MovieLens.LoadLatestTags(TestData.LatestSmall, ratings.ItemMap);
        Assert.True(tags.Columns.Count > 1000);
        Assert.InRange(tags.RowsWithFeatures, 1400, 1572);
        Assert.Equal(tags.Values.Values.ToArray().Sum(), 3683 - CountUnmatchedTags(ratings.ItemMap), 0);
    }

    private static int CountUnmatchedTags(IdMap items) =>
        File.ReadLines(Path.Combine(TestData.LatestSmall, "tags.csv")).Skip(1).Count(l => !items.TryGetIndex(l.Split(',')[1], out _) || string.IsNullOrWhiteSpace(l.Split(',')[2]));

    [SkippableFact]
    public void Ml100k_CatalogIsLatin1WithNineteenGenreFlags_AndUsersHaveDemographics()
    {
        Skip.IfNot(TestData.HasMl100k, TestData.Ml100kMissing);
        var ratings = MovieLens.Load100kRatings(TestData.Ml100k).Interactions;
        Assert.Equal(943, ratings.UserCount);
        Assert.Equal(1682, ratings.ItemCount);
        var catalog = MovieLens.Load100kItemMetadata(TestData.Ml100k, ratings.ItemMap);
        Assert.Equal(19, catalog.Genres.Columns.Count);
        Assert.Equal("unknown", catalog.Genres.Columns[0]);
        Assert.Contains(catalog.Titles, t => t is not null && t.Contains('é', StringComparison.Ordinal)); // Latin-1 decoded
        var users = MovieLens.Load100kUsers(TestData.Ml100k, ratings.UserMap);
        Assert.Equal(943, users.RowsWithFeatures);
        Assert.All(Enumerable.Range(0, 943), u => Assert.Equal(3, users.Values.RowLength(u)));
        Assert.Contains("occupation=technician", users.Columns);
    }

    [Fact]
    public void DatFiles_ReadDoubleColonLayout()
    {
        File.WriteAllText(Path.Combine(_dir, "ratings.dat"), "1::10::5::978300760\n1::20::3::978302109\n2::10::4::978301968\n");
        File.WriteAllBytes(Path.Combine(_dir, "movies.dat"), Encoding.Latin1.GetBytes("10::Caf\u00e9 (1999)::Comedy|Drama\n20::Heat (1995)::Action\n30::Unrated (2000)::Drama\n"));
        File.WriteAllText(Path.Combine(_dir, "users.dat"), "1::F::1::10::48067\n2::M::56::16::70072\n");
        var ratings = MovieLens.LoadRatings(_dir);
        Assert.Equal(3, ratings.Interactions.Count);
        Assert.Equal(978302109, ratings.Interactions.Timestamps[1]);
        var catalog = MovieLens.LoadItemMetadata(_dir, ratings.Interactions.ItemMap)!;
        Assert.Equal("Caf\u00e9 (1999)", catalog.Title(0));
        Assert.Equal(1, catalog.UnmatchedEntries);
        Assert.Equal(["Comedy", "Drama", "Action"], catalog.Genres.Columns);
        var users = MovieLens.LoadDatUsers(_dir, ratings.Interactions.UserMap);
        Assert.Contains("age=56", users.Columns);
    }

    [Fact]
    public void MalformedMetadataLine_NamesFileAndLine()
    {
        File.WriteAllText(Path.Combine(_dir, "ratings.csv"), "userId,movieId,rating,timestamp\n1,10,5,1\n");
        File.WriteAllText(Path.Combine(_dir, "movies.csv"), "movieId,title,genres\n10,Fine,Drama\n11,\"Broken, no genres\"\n");
        var ratings = MovieLens.LoadRatings(_dir).Interactions;
        var ex = Assert.Throws<DataFormatException>(() => MovieLens.LoadLatestItemMetadata(_dir, ratings.ItemMap));
        Assert.Equal(3, ex.Line);
        Assert.Contains("movies.csv:3", ex.Message);
    }

    [Fact]
    public void MinimumCounts_AppliesUntilBothHold_AndCompactsMaps()
    {
        // Item c has 1 interaction → removed; then user 3 has 1 → removed; then item b has 1 → removed... until stable.
        var data = TestData.Build(4, 4, (0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1), (2, 0, 1), (2, 2, 1), (3, 3, 1), (3, 0, 1));
        var result = InteractionFilters.MinimumCounts(data, 2, 2);
        Assert.Equal(4, result.Interactions.Count); // users 0 and 1 with items 0 and 1
        Assert.Equal(["u0", "u1"], result.Interactions.UserMap.Ids);
        Assert.Equal(["i0", "i1"], result.Interactions.ItemMap.Ids);
        Assert.Equal(2, result.RemovedUsers);
        Assert.Equal(2, result.RemovedItems);
        Assert.True(result.Rounds >= 2);
        var counts = result.Interactions.CountPerUser().Concat(result.Interactions.CountPerItem());
        Assert.All(counts, c => Assert.True(c >= 2));
    }

    [Fact]
    public void ToImplicit_KeepsRatingsAtOrAboveThresholdAsOnes()
    {
        var data = TestData.Build(2, 3, (0, 0, 4), (0, 1, 3.5f), (1, 2, 5));
        var positives = data.ToImplicit(4f);
        Assert.Equal(2, positives.Count);
        Assert.False(positives.HasRatings);
        Assert.All(positives.Values.ToArray(), v => Assert.Equal(1f, v));
    }
}
