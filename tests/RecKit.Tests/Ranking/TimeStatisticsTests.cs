using RecKit.Data;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

public sealed class TimeStatisticsTests : IDisposable
{
    private const long Day = 86_400;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"reckit-times-{Guid.NewGuid():N}");

    public TimeStatisticsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Three users (the third without interactions), four items (the fourth without); times in whole days, out of order.</summary>
    private static Interactions Data()
    {
        var plain = TestData.Build(3, 4, (0, 2, 5), (1, 1, 4), (0, 0, 4), (1, 0, 3), (0, 1, 2));
        long[] days = [10, 7, 1, 5, 3];
        return new Interactions(plain.UserMap, plain.ItemMap, plain.Users.ToArray(), plain.Items.ToArray(), plain.Values.ToArray(), [.. days.Select(d => d * Day)], plain.Meaning);
    }

    [Fact]
    public void Columns_AreTheItemsAgeAtTheUsersLastTime_AndTheGapBetweenTheirMiddles()
    {
        // User 0 at days 1, 3, 10: last 10, middle 3. User 1 at 5, 7: last 7, middle (upper) 7.
        // Item 0 at 1, 5: first 1, middle 5. Item 1 at 3, 7: first 3, middle 7. Item 2 at 10.
        var time = TimeStatistics.Of(Data());
        Assert.Equal(10 * Day, time.Newest);
        Assert.Equal((10 * Day, 3 * Day), time.User(0));
        Assert.Equal((7 * Day, 7 * Day), time.User(1));
        Assert.Null(time.User(2));

        var columns = new float[TimeStatistics.Count];
        time.Write(time.User(0), 0, columns);
        Assert.Equal([9f, -2f], columns);
        time.Write(time.User(1), 2, columns);
        Assert.Equal([-3f, -3f], columns); // the item came three days after the user was last seen
        time.Write(time.User(0), 1, columns);
        Assert.Equal([7f, -4f], columns);
        time.Write(time.User(2), 1, columns);
        Assert.Equal([0f, 0f], columns); // a user without interactions
        time.Write(time.User(0), 3, columns);
        Assert.Equal([0f, 0f], columns); // an item without interactions
        time.Write(time.Live, 0, columns);
        Assert.Equal([9f, 5f], columns); // a live user: active at the newest time
    }

    [Fact]
    public void MetaFeatures_EndWithTheTimeColumns_OnlyWhenThereAreTimestamps()
    {
        var data = Data();
        var popularity = new PopularityTrainer().Fit(data);
        var timed = new MetaFeatures([("pop", popularity)], data);
        Assert.Equal(["score_pop", "user_n_ratings", "user_mean_rating", "item_n_ratings", "item_mean_rating", "z_pop", "rank_pop", "time_item_age", "time_middle_gap"], timed.Names);
        Assert.True(TimeStatistics.In(timed.Names));
        var rows = new float[2 * timed.Count];
        timed.Build(1, [0, 2], rows);
        Assert.Equal([6f, 2f, -3f, -3f], [rows[timed.Count - 2], rows[timed.Count - 1], rows[^2], rows[^1]]);

        var untimed = new MetaFeatures([("pop", popularity)], TestData.Build(3, 4, (0, 2, 5), (1, 1, 4)));
        Assert.False(TimeStatistics.In(untimed.Names));
        Assert.Throws<ArgumentException>(() => TimeStatistics.Of(TestData.Build(3, 4, (0, 2, 5))));
    }

    [Fact]
    public void Saved_AndLoaded_GiveTheSameColumns()
    {
        var time = TimeStatistics.Of(Data());
        var path = Path.Combine(_folder, TimeStatistics.FileName);
        time.Save(path);
        var loaded = TimeStatistics.Load(path, 3, 4);
        Assert.Equal(time.Newest, loaded.Newest);
        var (expected, actual) = (new float[TimeStatistics.Count], new float[TimeStatistics.Count]);
        for (var u = 0; u < 3; u++)
        {
            Assert.Equal(time.User(u), loaded.User(u));
            for (var i = 0; i < 4; i++)
            {
                time.Write(time.User(u), i, expected);
                loaded.Write(loaded.User(u), i, actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void ALoad_RefusesAnotherBundlesCounts_ADamagedFile_AndAShortOne()
    {
        var path = Path.Combine(_folder, TimeStatistics.FileName);
        TimeStatistics.Of(Data()).Save(path);
        Assert.Contains("3 users and 4 items; the bundle has 3 and 5", Assert.Throws<InvalidDataException>(() => TimeStatistics.Load(path, 3, 5)).Message);

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^8]);
        Assert.Contains("bytes", Assert.Throws<InvalidDataException>(() => TimeStatistics.Load(path, 3, 4)).Message);

        bytes[0] = (byte)'X';
        File.WriteAllBytes(path, bytes);
        Assert.Contains("not a RecKit time anchors file", Assert.Throws<InvalidDataException>(() => TimeStatistics.Load(path, 3, 4)).Message);
    }
}
