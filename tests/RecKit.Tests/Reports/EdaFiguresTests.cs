using RecKit.Data;
using RecKit.Reports;

namespace RecKit.Tests.Reports;

public sealed class EdaFiguresTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-eda-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LatestSmall_WritesReadablePngFiguresAndASummary()
    {
        var data = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var catalog = MovieLens.LoadLatestItemMetadata(TestData.LatestSmall, data.ItemMap);
        var files = EdaFigures.Write(data, _dir, catalog.Genres.ColumnCounts());
        string[] expected = ["interactions_per_user.png", "interactions_per_item.png", "rating_distribution.png", "long_tail.png", "genre_counts.png", "summary.md"];
        Assert.Equal(expected.Order(), files.Select(Path.GetFileName).Order());
        foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 5_000, $"{png} is only {bytes.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            // IHDR width and height, big-endian at bytes 16..23.
            Assert.Equal(900, (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19]);
            Assert.Equal(520, (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23]);
        }

        var summary = File.ReadAllText(Path.Combine(_dir, "summary.md"));
        Assert.Contains("610 users, 9,724 items, 100,836 interactions", summary);
    }

    [Fact]
    public void EmptyData_IsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => EdaFigures.Write(TestData.Build(1, 1), _dir));
        Assert.Contains("no interactions", ex.Message);
    }

    [Fact]
    public void LogBins_CoverEveryValueOnce()
    {
        int[] values = [1, 1, 2, 3, 4, 7, 8, 100];
        var (labels, counts) = EdaFigures.LogBins(values);
        Assert.Equal(["1", "2-3", "4-7", "8-15", "16-31", "32-63", "64-127"], labels);
        Assert.Equal([2.0, 2, 2, 1, 0, 0, 1], counts);
    }
}
