using RecKit.Serving;

namespace RecKit.Tests.Serving.Storage;

/// <summary>The interaction store contract on a real PostgreSQL server, and what only a shared store must add.</summary>
public sealed class PostgresInteractionStoreTests : InteractionStoreContract
{
    private readonly string _database = PostgresServer.Instance.NewDatabase();

    protected override IInteractionStore Open() => PostgresInteractionStore.Open(_database);

    protected override long? Commits(IInteractionStore store) => ((PostgresInteractionStore)store).Commits;

    protected override void FailCommits(IInteractionStore store, Action? fault) => ((PostgresInteractionStore)store).BeforeCommit = fault;

    [Fact]
    public async Task ACommit_IsFlushedBeforeItIsAcknowledged()
    {
        await using var store = PostgresInteractionStore.Open(_database);
        Assert.Equal(("on", "on"), await store.DurabilityAsync());
    }

    [Fact]
    public async Task SeveralProcessesWritingAtOnce_GetIdsThatAscendInCommitOrder_AndNoneTwice()
    {
        // Four stores on one database stand for four servers: each group-commits its own appends.
        var stores = Enumerable.Range(0, 4).Select(_ => PostgresInteractionStore.Open(_database)).ToList();
        try
        {
            var seen = new List<long>();
            var reading = true;
            var reader = Task.Run(async () =>
            {
                // A follower reading "everything after the last id it saw" must never skip a row.
                long after = 0;
                while (Volatile.Read(ref reading))
                {
                    foreach (var row in stores[0].ReadSince(after))
                    {
                        seen.Add(row.Id);
                        after = row.Id;
                    }

                    await Task.Delay(2);
                }
            });
            var appends = await Task.WhenAll(Enumerable.Range(0, 200).Select(a => stores[a % 4].AppendAsync([new StoredInteraction($"u{a}", "i1", "view", 1, a), new StoredInteraction($"u{a}", "i2", "view", 1, a)])));
            Volatile.Write(ref reading, false);
            await reader;
            seen.AddRange(stores[0].ReadSince(seen.Count == 0 ? 0 : seen[^1]).Select(r => r.Id));

            var ids = appends.SelectMany(a => a).ToList();
            Assert.Equal(400, ids.Distinct().Count());
            Assert.Equal(ids.Order(), seen); // every row, each once, in id order: none committed behind the reader's back
            Assert.Equal(400, stores[1].LastInteractionId());
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ServersOpeningANewDatabaseTogether_MigrateItOnce()
    {
        var database = PostgresServer.Instance.NewDatabase();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresInteractionStore.OpenAsync(database))));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        await using var again = PostgresInteractionStore.Open(database);
        Assert.Equal(0, again.LastInteractionId());
    }

    [Fact]
    public void ABadConnection_IsAnErrorNamingTheServer_NotAHang()
    {
        var error = Assert.Throws<IOException>(() => PostgresInteractionStore.Open($"Host=127.0.0.1;Port=1;Username=reckit;Database=none;Timeout=3"));
        Assert.Contains("postgresql://127.0.0.1:1/none", error.Message, StringComparison.Ordinal);
    }
}
