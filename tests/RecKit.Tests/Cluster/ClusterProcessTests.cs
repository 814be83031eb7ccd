using System.Net.Http.Json;
using System.Text.Json;
using RecKit.Tests.Serving.Storage;
using RecKit.Tests.Server;
using Xunit.Abstractions;

namespace RecKit.Tests.Cluster;

/// <summary>
/// Three real server processes on 127.0.0.1 in cluster mode: Orleans silos co-hosted with Kestrel, membership in a
/// throwaway Redis, one shared PostgreSQL store, one bundle root read by all. Any silo answers any request the same, and
/// an interaction ingested through one silo changes the next answer of another at once.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ClusterProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly RedisServer _redis = RedisServer.Start();
    private readonly string _database = PostgresServer.Instance.NewDatabase();
    private readonly string _root = LatestSmallBundle.NewRoot();
    private readonly List<ServerProcess> _silos = [];

    public async Task InitializeAsync()
    {
        var cluster = $"test-{Guid.NewGuid():N}";
        var started = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ServerProcess.Start(_root, null,
            $"--RecKit:Postgres={_database}",
            "--RecKit:Cluster:Enabled=true",
            $"--RecKit:Cluster:Redis={_redis.Endpoint}",
            $"--RecKit:Cluster:ClusterId={cluster}",
            $"--RecKit:Cluster:SiloPort={ServerProcess.FreePort()}",
            $"--RecKit:Cluster:GatewayPort={ServerProcess.FreePort()}")));
        _silos.AddRange(started);
    }

    [Fact]
    public async Task EverySilo_AnswersTheSameUserTheSame_AndAnIngestOnOneChangesTheNextAnswerOnAnother()
    {
        using var a = new HttpClient { BaseAddress = _silos[0].Address };
        using var b = new HttpClient { BaseAddress = _silos[1].Address };
        using var c = new HttpClient { BaseAddress = _silos[2].Address };
        foreach (var user in new[] { "414", "1", "cluster-visitor" })
        {
            var answers = await Task.WhenAll(new[] { a, b, c }.Select(s => Items(s, user)));
            Assert.True(answers[0].SequenceEqual(answers[1]) && answers[1].SequenceEqual(answers[2]), $"user {user}: {string.Join(" | ", answers.Select(x => string.Join(",", x)))}");
        }

        const string visitor = "cluster-visitor";
        var before = await Items(c, visitor);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var ingest = await a.PostAsJsonAsync("/v1/interactions", new { interactions = new[] { new { user = visitor, item = before[0] }, new { user = visitor, item = before[1] } } }))
        {
            ingest.EnsureSuccessStatusCode();
        }

        var after = await Items(c, visitor); // the very next request, on another silo
        output.WriteLine($"ingest on silo A, then the answer on silo C: {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.DoesNotContain(before[0], after);
        Assert.DoesNotContain(before[1], after);
        Assert.Equal(after, await Items(b, visitor));
        Assert.Equal(after, await Items(a, visitor));
    }

    private static async Task<string[]> Items(HttpClient client, string user)
    {
        using var answer = JsonDocument.Parse(await client.GetStringAsync($"/v1/users/{user}/recommendations?k=10&variant=als"));
        return [.. answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()!)];
    }

    public Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _redis.Dispose();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
