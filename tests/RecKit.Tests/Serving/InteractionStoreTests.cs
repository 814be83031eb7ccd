using RecKit.Serving;

namespace RecKit.Tests.Serving;

public sealed class InteractionStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-store-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ConcurrentAppends_AreGroupCommitted_AndEachGetsTheIdsOfItsOwnRows()
    {
        var path = Path.Combine(_dir, "i.db");
        var store = InteractionStore.Open(path);
        var appends = Enumerable.Range(0, 64).Select(a => Task.Run(() => store.AppendAsync(
            Enumerable.Range(0, 1 + (a % 7)).Select(j => new StoredInteraction($"u{a}", $"i{j}", "view", a, a * 1000L + j)).ToList()))).ToArray();
        var ids = await Task.WhenAll(appends);
        Assert.True(store.Commits < 64, $"{store.Commits} commits for 64 concurrent appends: no grouping");
        var rows = store.ReadSince(0).ToDictionary(x => x.Id);
        Assert.Equal(ids.Sum(i => i.Length), rows.Count);
        for (var a = 0; a < 64; a++)
        {
            Assert.Equal(1 + (a % 7), ids[a].Length);
            for (var j = 0; j < ids[a].Length; j++)
            {
                var row = rows[ids[a][j]];
                Assert.Equal(($"u{a}", $"i{j}", (double)a), (row.User, row.Item, row.Value));
            }
        }

        Assert.Equal(rows.Keys.Max(), store.LastInteractionId());
        Assert.Equal(rows.Keys.Where(id => id > 10).Order(), store.ReadSince(10).Select(x => x.Id));
        await store.DisposeAsync();

        // Reopened: the schema is not migrated twice, the rows are there, appends continue after them.
        var again = InteractionStore.Open(path);
        var next = await again.AppendAsync([new StoredInteraction("u", "i", "like", 1, 0)]);
        Assert.Equal(rows.Keys.Max() + 1, next[0]);
        await again.AppendFeedbackAsync([new StoredFeedback("u", "i", "click", "als", "control", "v0001", 5)]);
        Assert.Equal(new StoredFeedback("u", "i", "click", "als", "control", "v0001", 5), Assert.Single(again.ReadFeedback()));
        await again.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => again.AppendAsync([new StoredInteraction("u", "i", "like", 1, 0)]));
    }
}
