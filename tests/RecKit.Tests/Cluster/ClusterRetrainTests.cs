using System.Text.Json.Nodes;
using RecKit.Bundles;
using RecKit.Tests.Serving.Storage;
using RecKit.Tests.Server;
using Xunit.Abstractions;

namespace RecKit.Tests.Cluster;

/// <summary>
/// Retraining runs once for the cluster: three silo processes asked to retrain at the same moment run one retrain
/// between them (the lease grain), the others count it as done elsewhere, and the one new bundle reaches every silo
/// through the shared folder and the rollout.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ClusterRetrainTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-cluster-retrain-").FullName;
    private readonly RedisServer _redis = RedisServer.Start();
    private readonly string _database = PostgresServer.Instance.NewDatabase();
    private ServerProcess[] _silos = [];
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _root = MusicDemoJob.Run(_dir);
        _silos = await ClusterProcessTests.StartSilos([_root, _root, _root], _database, _redis, ServerProcess.FreePorts(9),
            "--RecKit:ReloadPollSeconds=1", "--RecKit:Retraining:Command:0=dotnet", $"--RecKit:Retraining:Command:1={MusicDemoJob.CliDll}", "--RecKit:Retraining:Command:2=retrain");
    }

    [Fact]
    public async Task ThreeSilosAskedToRetrainAtOnce_RetrainOnce_AndAllServeTheNewBundle()
    {
        var clients = _silos.Select(s => new HttpClient { BaseAddress = s.Address, Timeout = TimeSpan.FromSeconds(60), DefaultRequestHeaders = { { "X-Api-Key", ServerFactory.ApiKey } } }).ToArray();
        (await clients[0].PostAsync("/v1/interactions", JsonContent("""{ "interactions": [ { "user": "fan", "item": "s0002" }, { "user": "fan", "item": "s0003" } ] }"""))).EnsureSuccessStatusCode();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var asked = await Task.WhenAll(clients.Select(c => c.PostAsync("/admin/retrain", null)));
        Assert.All(asked, a => a.EnsureSuccessStatusCode());

        string[] serving;
        do
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(150), "the cluster did not serve a retrained bundle within 150 s");
            await Task.Delay(500);
            serving = await Task.WhenAll(clients.Select(async c => JsonNode.Parse(await c.GetStringAsync("/health/ready"))!["bundle"]!.GetValue<string>()));
        }
        while (serving.Any(v => v == "v0001"));

        output.WriteLine($"every silo served {serving[0]} {clock.Elapsed.TotalSeconds:0.0} s after the three retrain requests");
        Assert.All(serving, v => Assert.Equal("v0002", v));
        Assert.Equal(["v0001", "v0002"], new BundleStore(_root).Versions());
        var outcomes = await Task.WhenAll(clients.Select(async c => await c.GetStringAsync("/metrics")));
        Assert.Equal(1, outcomes.Count(m => Counted(m, "succeeded")));
        Assert.Equal(2, outcomes.Count(m => Counted(m, "elsewhere")));
        var fan = JsonNode.Parse(await clients[2].GetStringAsync("/v1/users/fan/recommendations?k=3"))!;
        Assert.False(fan["cold"]!.GetValue<bool>()); // the retrained bundle knows the fan ingested through silo A
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static bool Counted(string metrics, string outcome) =>
        System.Text.RegularExpressions.Regex.IsMatch(metrics, $"(?m)^reckit_retrains_total\\{{[^}}]*outcome=\"{outcome}\"[^}}]*\\}} 1$");

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _redis.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}
