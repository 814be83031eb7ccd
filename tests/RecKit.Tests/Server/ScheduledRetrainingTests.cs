using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RecKit.Bundles;
using RecKit.Cli;
using RecKit.Server;

namespace RecKit.Tests.Server;

/// <summary>The service retrains itself when told to: on schedule, after N interactions, at the live-memory bound; one at a time, and a failure leaves the serving bundle alone.</summary>
[Collection(AloneCollection.Name)] // writes to the console (reckit run) and reads /metrics: see AloneCollection
public sealed class ScheduledRetrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-scheduled-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Due_FollowsTheScheduleTheThresholdAndTheCap()
    {
        var now = DateTimeOffset.UtcNow;
        var settings = new RetrainingSettings { EveryHours = 6, AfterInteractions = 1000, MaxLiveInteractions = 5000 };
        Assert.Null(ScheduledRetrainer.Due(settings, now, now.AddHours(-5), 999, 4999));
        Assert.Contains("h old", ScheduledRetrainer.Due(settings, now, now.AddHours(-6), 0, 0), StringComparison.Ordinal);
        Assert.Contains("afterInteractions", ScheduledRetrainer.Due(settings, now, now, 1000, 0), StringComparison.Ordinal);
        Assert.Contains("maxLiveInteractions", ScheduledRetrainer.Due(settings, now, now, 1, 5000), StringComparison.Ordinal);
        Assert.Null(ScheduledRetrainer.Due(settings, now, now, 0, 5000)); // replayed exclusions alone: a retrain would not shrink them
        Assert.Null(ScheduledRetrainer.Due(new RetrainingSettings { MaxLiveInteractions = 0 }, now, now.AddYears(-1), 1_000_000, 1_000_000));
    }

    [Fact]
    public void TheHostStoppingARetrainerItsContainerAlreadyDisposed_DoesNotThrow()
    {
        // Seen once in CI when a WebApplicationFactory was disposed: the host stopped the service after Dispose.
        var factory = new ServerFactory();
        using (factory.CreateClient())
        {
        }

        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ScheduledRetrainer>(factory.Services).Dispose();
        factory.Dispose();
    }

    [Fact]
    public async Task AfterNInteractions_TheServiceRetrainsItself_AndServesTheNewBundle_AndAFailureLeavesItAlone()
    {
        var bundles = new BundleStore(MusicDemoJob.Run(_dir));

        var settings = new Dictionary<string, string?>
        {
            ["RecKit:BundleRoot"] = bundles.Root,
            ["RecKit:ApiKey"] = ServerFactory.ApiKey,
            ["RecKit:ReloadPollSeconds"] = "0",
            ["RecKit:Retraining:AfterInteractions"] = "3",
            ["RecKit:Retraining:CheckSeconds"] = "0.2",
            ["RecKit:Retraining:Command:0"] = "dotnet",
            ["RecKit:Retraining:Command:1"] = MusicDemoJob.CliDll,
            ["RecKit:Retraining:Command:2"] = "retrain",
        };
        using (var factory = new RootFactory(settings))
        {
            using var client = factory.CreateClient();
            Assert.Equal("v0001", (await client.GetFromJsonAsync<JsonObject>("/health/ready"))!["bundle"]!.GetValue<string>());
            (await client.PostAsJsonAsync("/v1/interactions", new { interactions = new[] { new { user = "fan", item = "s0002" }, new { user = "fan", item = "s0003" }, new { user = "fan", item = "s0004" } } })).EnsureSuccessStatusCode();
            var deadline = DateTime.UtcNow.AddSeconds(120);
            string version;
            while ((version = (await client.GetFromJsonAsync<JsonObject>("/health/ready"))!["bundle"]!.GetValue<string>()) == "v0001" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            Assert.Equal("v0002", version);
            var metrics = await client.GetStringAsync("/metrics");
            Assert.Matches("(?m)^reckit_retrains_total\\{[^}]*outcome=\"succeeded\"[^}]*\\} 1$", metrics);
            var fan = await client.GetFromJsonAsync<JsonObject>("/v1/users/fan/recommendations?k=3");
            Assert.False(fan!["cold"]!.GetValue<bool>()); // the retrained bundle knows the fan
        }

        // A retrain that fails (its command exits 1) leaves v0002 serving, is counted and waits before trying again.
        settings["RecKit:Retraining:Command:0"] = "false";
        settings.Remove("RecKit:Retraining:Command:1");
        settings.Remove("RecKit:Retraining:Command:2");
        using (var factory = new RootFactory(settings))
        {
            using var client = factory.CreateClient();
            (await client.PostAsJsonAsync("/v1/interactions", new { interactions = new[] { new { user = "fan2", item = "s0002" }, new { user = "fan2", item = "s0003" }, new { user = "fan2", item = "s0005" } } })).EnsureSuccessStatusCode();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            string metrics;
            while (!(metrics = await client.GetStringAsync("/metrics")).Contains("outcome=\"failed\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(metrics, "(?m)^reckit_retrains_total\\{[^}]*outcome=\"failed\"[^}]*\\} 1$"), string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith("reckit_retrain", StringComparison.Ordinal))));
            await Task.Delay(1000); // five more checks: no second attempt within the back-off
            metrics = await client.GetStringAsync("/metrics");
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(metrics, "(?m)^reckit_retrains_total\\{[^}]*outcome=\"failed\"[^}]*\\} 1$"), string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith("reckit_retrain", StringComparison.Ordinal))));
            Assert.Equal("v0002", (await client.GetFromJsonAsync<JsonObject>("/health/ready"))!["bundle"]!.GetValue<string>());
        }
    }

    /// <summary>The real server over a given bundle root (ServerFactory makes its own copy of the ml-latest-small bundle).</summary>
    private sealed class RootFactory(Dictionary<string, string?> settings) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<RecKit.Server.Program>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
