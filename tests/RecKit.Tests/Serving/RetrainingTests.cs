using System.Text.Json;
using RecKit.Pipeline;
using RecKit.Serving;

namespace RecKit.Tests.Serving;

/// <summary>Retraining reads the store robustly: a row no training can use is left out and named, never a permanent failure.</summary>
public sealed class RetrainingTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-retrain-").FullName;
    private SqliteInteractionStore _store = null!;

    public Task InitializeAsync()
    {
        _store = SqliteInteractionStore.Open(Path.Combine(_dir, "i.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ARowWithAnImpossibleTimestamp_IsLeftOutAndNamed_TheRestIsTrainingData()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = await _store.AppendAsync(
        [
            new StoredInteraction("u", "1", "like", 1, now),
            new StoredInteraction("u", "2", "like", 1, long.MaxValue), // stored before ingest checked the window
            new StoredInteraction("u", "3", "like", 1, 1_700_000_000), // seconds, not milliseconds
            new StoredInteraction("u", "4", "dislike", 1, now),
        ]);
        var settings = JsonSerializer.Deserialize<MainJobSettings>("{}", StrictJson.Options)!;
        var rejected = new List<long>();
        var ingested = Retraining.Ingested(_store, settings, FeedbackTypes.Default, rejected);
        Assert.Equal([ids[1], ids[2]], rejected);
        Assert.Equal("1", Assert.Single(ingested.Interactions).Item); // the dislike is an exclusion, not data
        Assert.Equal(ids[^1], ingested.Through);
    }

    [Fact]
    public void TheWindow_RejectsSecondsAndTheFarFuture()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.True(InteractionTime.IsValid(now, now));
        Assert.True(InteractionTime.IsValid(InteractionTime.Earliest, now));
        Assert.False(InteractionTime.IsValid(now / 1000, now));
        Assert.False(InteractionTime.IsValid(now + (2 * 86_400_000L), now));
        Assert.Contains("milliseconds", InteractionTime.Window(now), StringComparison.Ordinal);
    }
}
