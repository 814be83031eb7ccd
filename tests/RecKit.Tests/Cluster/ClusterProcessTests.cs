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
    private readonly int[] _ports = ServerProcess.FreePorts(9); // HTTP, silo and gateway ports of three silos: none may collide

    private int[] SiloPorts => _ports[3..6];

    public async Task InitializeAsync() => _silos.AddRange(await StartSilos([_root, _root, _root], _database, _redis, _ports));

    internal const int RolloutSeconds = 6;

    /// <summary>Three silos of a new cluster, silo s over bundle root <paramref name="roots"/>[s]; ports: 3 HTTP, 3 silo, 3 gateway.</summary>
    internal static Task<ServerProcess[]> StartSilos(string[] roots, string database, RedisServer redis, int[] ports, params string[] more)
    {
        var cluster = $"test-{Guid.NewGuid():N}";
        return Task.WhenAll(Enumerable.Range(0, 3).Select(s => ServerProcess.Start(roots[s], null, ports[s],
        [
            $"--RecKit:Postgres={database}",
            "--RecKit:Cluster:Enabled=true",
            $"--RecKit:Cluster:Redis={redis.Endpoint}",
            $"--RecKit:Cluster:ClusterId={cluster}",
            $"--RecKit:Cluster:SiloPort={ports[3 + s]}",
            $"--RecKit:Cluster:GatewayPort={ports[6 + s]}",
            $"--RecKit:Cluster:RolloutSeconds={RolloutSeconds}",
            "--RecKit:Cluster:OrleansDashboard=true",
            $"--RecKit:ApiKey={ServerFactory.ApiKey}",
            .. more,
        ])));
    }

    [Fact]
    public async Task ANewBundle_IsSwitchedToTogether_WhenEverySiloHoldsIt_AndWithoutALaggardAfterTheBound()
    {
        var clients = _silos.Select(s => new HttpClient { BaseAddress = s.Address, Timeout = TimeSpan.FromSeconds(60), DefaultRequestHeaders = { { "X-Api-Key", ServerFactory.ApiKey } } }).ToArray();
        const string user = "rollout-visitor";
        var first = await Items(clients[0], user);
        (await clients[1].PostAsJsonAsync("/v1/interactions", new { user, item = first[0] })).EnsureSuccessStatusCode();

        // v0002 on the shared storage; every silo asked to reload: each loads and verifies it, then waits for the others.
        Assert.Equal("v0002", new RecKit.Bundles.BundleStore(_root).Write(LatestSmallBundle.Content));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reloads = await Task.WhenAll(clients.Select(async c =>
        {
            using var answer = await c.PostAsync("/admin/reload", null);
            var done = clock.Elapsed;
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            return (answer.StatusCode, Version: body.RootElement.GetProperty("bundle").GetString(), Done: done);
        }));
        output.WriteLine($"all ready: the silos switched at {string.Join(", ", reloads.Select(r => $"{r.Done.TotalSeconds:0.00} s"))}");
        Assert.All(reloads, r => Assert.Equal((System.Net.HttpStatusCode.OK, "v0002"), (r.StatusCode, r.Version)));
        Assert.True(reloads.Max(r => r.Done) < TimeSpan.FromSeconds(RolloutSeconds), "the switch waited for the bound although every silo was ready");
        foreach (var client in clients)
        {
            using var answer = JsonDocument.Parse(await client.GetStringAsync($"/v1/users/{user}/recommendations?k=10&variant=als"));
            Assert.Equal("v0002", answer.RootElement.GetProperty("bundle").GetString());
            Assert.DoesNotContain(first[0], answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString())); // the user's state came with them
        }

        // v0003, and only silo A reloads (B and C stand for silos that cannot load it): A waits for the bound, then
        // switches alone; B and C keep serving v0002.
        Assert.Equal("v0003", new RecKit.Bundles.BundleStore(_root).Write(LatestSmallBundle.Content));
        clock.Restart();
        using (var alone = await clients[0].PostAsync("/admin/reload", null))
        {
            alone.EnsureSuccessStatusCode();
        }

        output.WriteLine($"one silo ready: it switched after {clock.Elapsed.TotalSeconds:0.00} s (bound {RolloutSeconds} s)");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(RolloutSeconds - 1), $"silo A switched after {clock.Elapsed.TotalSeconds:0.0} s, before the bound");
        using var onA = JsonDocument.Parse(await clients[0].GetStringAsync($"/v1/users/{user}/recommendations?k=10"));
        using var onB = JsonDocument.Parse(await clients[1].GetStringAsync($"/v1/users/{user}/recommendations?k=10"));
        Assert.Equal(("v0003", "v0002"), (onA.RootElement.GetProperty("bundle").GetString(), onB.RootElement.GetProperty("bundle").GetString()));
        foreach (var client in clients)
        {
            client.Dispose();
        }
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

        // Orleans' own dashboard, mounted at /orleans (open on loopback, as RecKit's).
        using (var orleans = await a.GetAsync("/orleans/"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, orleans.StatusCode);
            Assert.Contains("Orleans", await orleans.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        // The dashboard's cluster page on any silo: three active silos, each serving v0001 (they report every 2 s).
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string page;
        while ((System.Text.RegularExpressions.Regex.Count(page = await b.GetStringAsync("/dashboard/cluster"), "<td>active</td>\\s*<td>v0001</td>") < 3) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(page, "<td>active</td>\\s*<td>v0001</td>"));
        Assert.Contains("(this one)", page, StringComparison.Ordinal);

        // /metrics per silo, every series labelled with its silo.
        for (var s = 0; s < 3; s++)
        {
            using var client = new HttpClient { BaseAddress = _silos[s].Address };
            var metrics = await client.GetStringAsync("/metrics");
            Assert.Matches($"(?m)^reckit_bundle_info\\{{[^}}]*silo=\"127\\.0\\.0\\.1:{SiloPorts[s]}\"[^}}]*\\}} 1$", metrics);
        }
    }

    [Fact]
    public async Task ASiloKilledUnderLoad_LosesNoAcknowledgedInteraction_AndTheOthersNeverFail()
    {
        var clients = _silos.Select(s => new HttpClient { BaseAddress = s.Address, Timeout = TimeSpan.FromSeconds(60) }).ToArray();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(string User, long Batch, long First, long Last)>();
        var failed = new int[3]; // by the silo the request was sent to
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        var slowest = new long[3]; // ms, requests sent after the kill
        var killed = false;
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000; // a batch's rows share one timestamp: its name in the store
        var items = (await Items(clients[0], "1")).Concat(await Items(clients[0], "2")).Distinct().ToArray();
        var end = DateTime.UtcNow.AddSeconds(10);
        async Task Client(int k)
        {
            var user = $"load-{k}";
            for (var n = 0; DateTime.UtcNow < end; n++)
            {
                var s = (k + n) % 3;
                var after = Volatile.Read(ref killed);
                if (after && s == 1)
                {
                    continue; // the balancer's health check took B out
                }

                var batch = Interlocked.Increment(ref stamp);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    var rows = Enumerable.Range(0, 3).Select(j => new { user, item = items[(n * 3 + j + k) % items.Length], timestamp = batch }).ToArray();
                    using var answer = await clients[s].PostAsJsonAsync("/v1/interactions", new { interactions = rows });
                    if (answer.IsSuccessStatusCode)
                    {
                        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
                        acknowledged.Add((user, batch, body.RootElement.GetProperty("firstId").GetInt64(), body.RootElement.GetProperty("lastId").GetInt64()));
                    }
                    else
                    {
                        Interlocked.Increment(ref failed[s]);
                        problems.Add($"silo {s} ingest {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
                    }

                    using var read = await clients[s].GetAsync($"/v1/users/{user}/recommendations?k=5");
                    if (!read.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failed[s]);
                        problems.Add($"silo {s} read {(int)read.StatusCode}: {await read.Content.ReadAsStringAsync()}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed[s]); // the silo died under this request: not acknowledged
                    problems.Add($"silo {s}: {ex.GetType().Name}");
                }

                if (after)
                {
                    var ms = clock.ElapsedMilliseconds;
                    long seen;
                    while ((seen = Volatile.Read(ref slowest[s])) < ms && Interlocked.CompareExchange(ref slowest[s], ms, seen) != seen)
                    {
                    }
                }
            }
        }

        var load = Task.WhenAll(Enumerable.Range(0, 16).Select(k => Task.Run(() => Client(k))));
        await Task.Delay(2500);
        _silos[1].Kill(); // SIGKILL mid-load
        var sinceKill = System.Diagnostics.Stopwatch.StartNew();
        Volatile.Write(ref killed, true);
        var declared = await DeclaredDeadAsync(clients[0], SiloPorts[1], sinceKill);
        await load;
        output.WriteLine($"{acknowledged.Count} batches acknowledged; failed requests by silo A/B/C: {string.Join("/", failed)}; B declared dead {declared.TotalSeconds:0.0} s after the kill; slowest pair of requests after the kill on A {slowest[0]} ms, C {slowest[2]} ms");
        foreach (var s in new[] { 0, 2 })
        {
            var metrics = await clients[s].GetStringAsync("/metrics");
            output.WriteLine($"silo {"ABC"[s]}: " + string.Join(", ", metrics.Split('\n').Where(l => l.StartsWith("reckit_cluster_", StringComparison.Ordinal))));
        }

        foreach (var problem in problems.Take(5))
        {
            output.WriteLine(problem);
        }

        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} batches acknowledged");
        Assert.True(failed[0] == 0 && failed[2] == 0, $"requests to the surviving silos failed: A {failed[0]}, C {failed[2]}: {string.Join(" | ", problems.Where(p => !p.StartsWith("silo 1", StringComparison.Ordinal)).Take(3))}");

        // Every acknowledged interaction is in PostgreSQL, and no batch is there in part.
        await using (var store = RecKit.Serving.PostgresInteractionStore.Open(_database))
        {
            var rows = store.ReadSince(0).ToList();
            var byId = rows.ToDictionary(r => r.Id);
            foreach (var (user, batch, first, last) in acknowledged)
            {
                for (var id = first; id <= last; id++)
                {
                    Assert.True(byId.TryGetValue(id, out var row) && row.User == user && row.Timestamp == batch, $"acknowledged id {id} of {user} is missing");
                }
            }

            Assert.All(rows.GroupBy(r => (r.User, r.Timestamp)), g => Assert.Equal(3, g.Count()));
        }

        // With B declared dead, its users' grains come back on A and C from the store: the same answer on both, none of
        // their stored items in it.
        await using var check = RecKit.Serving.PostgresInteractionStore.Open(_database);
        for (var k = 0; k < 16; k++)
        {
            var user = $"load-{k}";
            var seen = check.ReadUser(user).Select(r => r.Item).ToHashSet();
            var onA = await Items(clients[0], user);
            Assert.Equal(onA, await Items(clients[2], user));
            Assert.DoesNotContain(onA, seen.Contains);
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    /// <summary>How long after the kill silo A's cluster page shows the silo at <paramref name="siloPort"/> dead (at most 60 s).</summary>
    private static async Task<TimeSpan> DeclaredDeadAsync(HttpClient a, int siloPort, System.Diagnostics.Stopwatch sinceKill)
    {
        var row = new System.Text.RegularExpressions.Regex($@"127\.0\.0\.1:{siloPort}[^<]*</th>\s*<td>dead</td>");
        while (sinceKill.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (row.IsMatch(await a.GetStringAsync("/dashboard/cluster")))
            {
                return sinceKill.Elapsed;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the killed silo was not declared dead within 60 s");
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
