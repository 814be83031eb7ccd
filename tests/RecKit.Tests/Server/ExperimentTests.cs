using System.Net.Http.Json;
using System.Text.Json;
using RecKit.Serving;

using RecKit.Bundles;

namespace RecKit.Tests.Server;

/// <summary>A/B: sticky assignment by a stable hash, the arm in every answer, impressions and clicks logged per arm, and the readout.</summary>
public sealed class ExperimentTests : IDisposable
{
    private static readonly Experiment Experiment = new()
    {
        Name = "als-vs-stack",
        Salt = "2026-11",
        Arms = [new ExperimentArm("control", "als", 50), new ExperimentArm("treatment", "LogisticStack", 50)],
    };

    private readonly ServerFactory _factory = new(ServerFactory.ExperimentSettings(Experiment.Name, Experiment.Salt));

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Assignment_IsStickyAcrossRequestsAndReloads_AndSplitsUsers()
    {
        using var client = _factory.CreateClient();
        var users = Enumerable.Range(1, 120).Select(u => u.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var first = new Dictionary<string, (string Arm, string Variant)>();
        foreach (var user in users)
        {
            first[user] = await ArmOf(client, user);
            Assert.Equal(Experiment.Assign(user).Name, first[user].Arm);
            Assert.Equal(Experiment.Assign(user).Variant, first[user].Variant);
        }

        var treated = first.Values.Count(a => a.Arm == "treatment");
        Assert.InRange(treated, 36, 84); // 50/50 of 120: far outside this is a broken hash

        new BundleStore(_factory.Root).Write(LatestSmallBundle.Content);
        using var reload = new HttpRequestMessage(HttpMethod.Post, "/admin/reload") { Headers = { { "X-Api-Key", ServerFactory.ApiKey } } };
        (await client.SendAsync(reload)).EnsureSuccessStatusCode();
        foreach (var user in users.Take(40))
        {
            Assert.Equal(first[user], await ArmOf(client, user));
        }
    }

    [Fact]
    public async Task ImpressionsAndClicks_AreLoggedWithTheArm_AndTheReadoutCountsThem()
    {
        using var client = _factory.CreateClient();
        var shown = 0;
        foreach (var user in new[] { "1", "2", "3", "4", "5", "6", "7", "8" })
        {
            using var answer = JsonDocument.Parse(await client.GetStringAsync($"/v1/users/{user}/recommendations?k=5"));
            var items = answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()!).ToList();
            (await client.PostAsJsonAsync("/v1/feedback/impressions", new { user, items })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/v1/feedback/clicks", new { user, items = items.Take(1) })).EnsureSuccessStatusCode();
            shown += items.Count;
        }

        await using var store = SqliteInteractionStore.Open(Path.Combine(_factory.Root, "interactions.db"));
        var feedback = store.ReadFeedback().ToList();
        Assert.Equal(shown, feedback.Count(f => f.Kind == "impression"));
        Assert.All(feedback, f => Assert.Equal(Experiment.Assign(f.User).Name, f.Arm));
        Assert.All(feedback, f => Assert.Equal(Experiment.Assign(f.User).Variant, f.Variant));
        Assert.All(feedback, f => Assert.Equal(Experiment.Name, f.Experiment));
        var result = AbReport.Compute(feedback, new HashSet<string>(), new AbReportOptions { Experiment = Experiment.Name, Arms = ["control", "treatment"], Control = "control" });
        Assert.Equal(shown, result.Arms.Sum(a => a.Impressions));
        Assert.Equal(8, result.Arms.Sum(a => a.Clicks));
        Assert.Equal(8, result.Arms.Sum(a => a.Users));
        Assert.All(result.Arms, a => Assert.Equal(0.2, a.Ctr, 10));
        Assert.Equal(0, Assert.Single(result.Differences).Points, 10);
    }

    [Fact]
    public void ANewSalt_ReshufflesUsers()
    {
        var other = Experiment with { Name = "next", Salt = "2026-12" };
        var users = Enumerable.Range(1, 2000).Select(u => u.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var moved = users.Count(u => Experiment.Assign(u).Name != other.Assign(u).Name);
        Assert.InRange(moved, 850, 1150); // two independent 50/50 splits disagree on half the users; the same salt on none
    }

    private static async Task<(string Arm, string Variant)> ArmOf(HttpClient client, string user)
    {
        using var answer = JsonDocument.Parse(await client.GetStringAsync($"/v1/users/{user}/recommendations?k=2"));
        return (answer.RootElement.GetProperty("arm").GetString()!, answer.RootElement.GetProperty("variant").GetString()!);
    }
}
