using RecKit.Data.Demo;

namespace RecKit.Tests.Data;

public sealed class MusicDemoTests
{
    [Fact]
    public void ShippedFiles_AreExactlyTheSeededGeneratorsOutput()
    {
        var (users, items, plays) = MusicDemo.Shipped();
        var folder = Path.Combine(TestData.RepoRoot, "data", "music-demo");
        Assert.Equal(users, File.ReadAllText(Path.Combine(folder, "users.csv")));
        Assert.Equal(items, File.ReadAllText(Path.Combine(folder, "items.csv")));
        Assert.Equal(plays, File.ReadAllText(Path.Combine(folder, "plays.csv")));
    }
}
