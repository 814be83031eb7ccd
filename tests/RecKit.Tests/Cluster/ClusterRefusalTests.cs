using System.Net;
using System.Text.Json;
using RecKit.Bundles;
using RecKit.Tests.Serving.Storage;
using RecKit.Tests.Server;

namespace RecKit.Tests.Cluster;

/// <summary>
/// A silo that cannot load a new bundle (its copy of the bundle folder is damaged) while the others can: it refuses the
/// bundle, keeps serving the old one and says so in its /metrics; the others switch once the rollout's bound has passed.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ClusterRefusalTests : IAsyncLifetime
{
    private readonly RedisServer _redis = RedisServer.Start();
    private readonly string _database = PostgresServer.Instance.NewDatabase();
    private readonly string _shared = LatestSmallBundle.NewRoot();
    private readonly string _damaged = LatestSmallBundle.NewRoot(); // silo C's own copy
    private ServerProcess[] _silos = [];

    public async Task InitializeAsync() => _silos = await ClusterProcessTests.StartSilos([_shared, _shared, _damaged], _database, _redis, ServerProcess.FreePorts(9));

    [Fact]
    public async Task ASiloThatCannotLoadTheNewBundle_KeepsTheOld_AndTheOthersSwitchAfterTheBound()
    {
        Assert.Equal("v0002", new BundleStore(_shared).Write(LatestSmallBundle.Content));
        var broken = new BundleStore(_damaged);
        Assert.Equal("v0002", broken.Write(LatestSmallBundle.Content));
        var model = Path.Combine(broken.PathOf("v0002"), "models", "als.model");
        var bytes = File.ReadAllBytes(model);
        bytes[^20] ^= 0xFF;
        File.WriteAllBytes(model, bytes);

        var clients = _silos.Select(s => new HttpClient { BaseAddress = s.Address, Timeout = TimeSpan.FromSeconds(60), DefaultRequestHeaders = { { "X-Api-Key", ServerFactory.ApiKey } } }).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(clients.Select(async c =>
        {
            using var answer = await c.PostAsync("/admin/reload", null);
            return (answer.StatusCode, Done: clock.Elapsed);
        }));
        Assert.Equal(HttpStatusCode.Conflict, answers[2].StatusCode); // C refused it at once
        Assert.All(answers.Take(2), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers.Take(2), a => Assert.True(a.Done >= TimeSpan.FromSeconds(ClusterProcessTests.RolloutSeconds - 1), $"A or B switched after {a.Done.TotalSeconds:0.0} s, before the bound: it did not wait for C"));

        string[] versions = await Task.WhenAll(clients.Select(async c =>
        {
            using var answer = JsonDocument.Parse(await c.GetStringAsync("/v1/users/414/recommendations?k=5"));
            return answer.RootElement.GetProperty("bundle").GetString()!;
        }));
        Assert.Equal(["v0002", "v0002", "v0001"], versions);
        var metrics = await clients[2].GetStringAsync("/metrics");
        Assert.Matches("(?m)^reckit_bundle_reloads_total\\{[^}]*outcome=\"refused\"[^}]*\\} 1$", metrics);
        Assert.Matches("(?m)^reckit_bundle_info\\{[^}]*version=\"v0001\"[^}]*\\} 1$", metrics);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    public Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _redis.Dispose();
        Directory.Delete(_shared, recursive: true);
        Directory.Delete(_damaged, recursive: true);
        return Task.CompletedTask;
    }
}
