using RecKit.Serving;

namespace RecKit.Tests.Serving.Storage;

public sealed class SqliteInteractionStoreTests : InteractionStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-store-").FullName;

    protected override IInteractionStore Open() => SqliteInteractionStore.Open(Path.Combine(_dir, "i.db"));

    protected override long? Commits(IInteractionStore store) => ((SqliteInteractionStore)store).Commits;

    protected override void FailCommits(IInteractionStore store, Action? fault) => ((SqliteInteractionStore)store).BeforeCommit = fault;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task TheWriter_CommitsWithAFullSyncToAWriteAheadLog()
    {
        await using var store = SqliteInteractionStore.Open(Path.Combine(_dir, "durable.db"));
        var (synchronous, journal) = await store.DurabilityAsync();
        Assert.Equal(2, synchronous); // FULL: a committed transaction survives a power cut, not only a killed process
        Assert.Equal("wal", journal);
    }

    [Fact]
    public async Task TwoOpensOfANewFileAtOnce_MigrateItOnce()
    {
        var path = Path.Combine(_dir, "raced.db");
        var both = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SqliteInteractionStore.Open(path))));
        var ids = await both[0].AppendAsync([new StoredInteraction("u", "i", "view", 1, 0)]);
        Assert.Equal(1L, Assert.Single(ids));
        foreach (var store in both)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task AVersionOneFile_IsMigrated_AndKeepsItsRows()
    {
        var path = Path.Combine(_dir, "old.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE interactions (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, item_id TEXT NOT NULL, type TEXT NOT NULL, value REAL NOT NULL, ts INTEGER NOT NULL, received_utc INTEGER NOT NULL);
                CREATE TABLE feedback (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, item_id TEXT NOT NULL, kind TEXT NOT NULL, variant TEXT NOT NULL, arm TEXT NOT NULL, bundle TEXT NOT NULL, ts INTEGER NOT NULL);
                INSERT INTO interactions VALUES (7, 'u', 'i', 'like', 1, 0, 0);
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        await using var store = SqliteInteractionStore.Open(path);
        Assert.Equal(7, store.LastInteractionId());
        Assert.Equal("i", Assert.Single(store.ReadUser("u")).Item);
        var next = await store.AppendAsync([new StoredInteraction("u", "j", "view", 1, 0)]);
        Assert.Equal(8L, Assert.Single(next));
    }
}
