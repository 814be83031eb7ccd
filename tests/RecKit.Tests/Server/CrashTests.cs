using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using RecKit.Serving;

namespace RecKit.Tests.Server;

/// <summary>
/// Durability: the server as a child process ingests batches from eight concurrent clients and is killed with SIGKILL
/// mid-stream. Every acknowledged batch must be in the SQLite file afterwards, and no batch may be there in part.
/// The restarted server serves again and replays what was ingested.
/// </summary>
public sealed class CrashTests
{
    private const int BatchSize = 10;

    [Fact]
    public async Task KilledMidIngest_LosesNothingAcknowledged_AndWritesNothingHalfway()
    {
        var root = LatestSmallBundle.NewRoot();
        try
        {
            var items = LatestSmallBundle.Content.Data.ItemMap.Ids.Take(500).ToArray();
            var acknowledged = new ConcurrentBag<(string User, int Batch)>();
            var sent = new ConcurrentBag<(string User, int Batch)>();
            using (var server = await ServerProcess.Start(root))
            {
                var logged = SpinWait.SpinUntil(() => server.Output.Any(l => l.Contains("retrieval: the exact scan for every factor model; similar items from ", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
                Assert.True(logged, "no retrieval line in the start-up log: " + string.Join(" | ", server.Output)); // ml-latest-small: 9,724 items, below the index threshold
                using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
                var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
                {
                    var user = $"crash-{w}";
                    for (var batch = 1; ; batch++)
                    {
                        var body = new
                        {
                            interactions = Enumerable.Range(0, BatchSize).Select(j => new { user, item = items[((batch * BatchSize) + j) % items.Length], type = "view", value = batch }).ToArray(),
                        };
                        sent.Add((user, batch));
                        try
                        {
                            using var response = await client.PostAsJsonAsync("/v1/interactions", body);
                            if (!response.IsSuccessStatusCode)
                            {
                                return;
                            }

                            acknowledged.Add((user, batch));
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                        {
                            return; // the server is gone
                        }
                    }
                })).ToArray();

                while (acknowledged.Count < 300)
                {
                    await Task.Delay(20);
                }

                server.Kill();
                await Task.WhenAll(writers);
            }

            List<StoredInteraction> stored;
            await using (var store = SqliteInteractionStore.Open(Path.Combine(root, "interactions.db")))
            {
                stored = store.ReadSince(0).ToList();
            }

            var batches = stored.GroupBy(x => (x.User, Batch: (int)x.Value)).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(acknowledged, a => Assert.True(batches.TryGetValue(a, out var n) && n == BatchSize, $"acknowledged batch {a} has {batches.GetValueOrDefault(a)} of {BatchSize} rows"));
            Assert.All(batches, b => Assert.Equal(BatchSize, b.Value)); // all or nothing
            Assert.All(batches.Keys, b => Assert.Contains(b, sent));
            Assert.True(stored.Count >= acknowledged.Count * BatchSize);

            // Restarted on the same file: it serves, and what crash-0 ingested is excluded from its answers.
            using var again = await ServerProcess.Start(root);
            using var http = new HttpClient { BaseAddress = again.Address };
            using var answer = JsonDocument.Parse(await http.GetStringAsync("/v1/users/crash-0/recommendations?k=10&variant=als"));
            Assert.False(answer.RootElement.GetProperty("cold").GetBoolean());
            var seen = stored.Where(x => x.User == "crash-0").Select(x => x.Item).ToHashSet();
            Assert.DoesNotContain(answer.RootElement.GetProperty("items").EnumerateArray(), i => seen.Contains(i.GetProperty("item").GetString()!));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }
}
