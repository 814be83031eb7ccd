using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Mvc.Testing;
using RecKit.Server;
using RecKit.Tests.Server;

namespace RecKit.Tests.Dashboard;

/// <summary>
/// Who may read the dashboard. The in-memory test server has no client address, so it stands for a client on another
/// machine: closed without a read key, open after signing in with it, never showing a key back. (Loopback is covered by
/// the browser tests, which reach the dashboard on 127.0.0.1 without a key.)
/// </summary>
public sealed class DashboardAccessTests
{
    private const string ReadKey = "read-key-0123";

    [Fact]
    public async Task WithoutAReadKey_AnotherMachineIsRefused()
    {
        using var factory = new ServerFactory();
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var answer = await client.GetAsync("/dashboard/users");
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Contains("readKey", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard/assets/dashboard.css")).StatusCode); // the style sheet holds nothing of the service
    }

    [Fact]
    public async Task WithAReadKey_SigningInOpensIt_ThroughACookieThatIsNotTheKey()
    {
        using var factory = new ServerFactory(new() { ["RecKit:Dashboard:ReadKey"] = ReadKey });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var first = await client.GetAsync("/dashboard/items?q=toy");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/dashboard/signin?back=%2Fdashboard%2Fitems%3Fq%3Dtoy", first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard/signin")).StatusCode);

        using var wrong = await SignIn(client, "not-the-key", "/dashboard/items");
        Assert.StartsWith("/dashboard/signin?wrong=1", wrong.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var right = await SignIn(client, ReadKey, "https://elsewhere.example/");
        Assert.Equal("/dashboard", right.Headers.Location!.OriginalString); // only back to the dashboard
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ReadKey, cookie, StringComparison.Ordinal);

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/dashboard/items?q=toy") { Headers = { { "Cookie", cookie.Split(';')[0] } } };
        using var page = await client.SendAsync(withCookie);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Toy Story", html, StringComparison.Ordinal);
        Assert.DoesNotContain(ReadKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFactory.ApiKey, html, StringComparison.Ordinal);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/dashboard") { Headers = { { "Cookie", $"reckit-dashboard={new string('A', 64)}" } } };
        Assert.Equal(HttpStatusCode.Redirect, (await client.SendAsync(forged)).StatusCode);
        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/dashboard/bundles") { Headers = { { "X-Dashboard-Key", ReadKey } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withHeader)).StatusCode);
    }

    [Fact]
    public async Task TurnedOff_ThereIsNoDashboard()
    {
        using var factory = new ServerFactory(new() { ["RecKit:Dashboard:Enabled"] = "false" });
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dashboard")).StatusCode);
    }

    [Theory]
    [InlineData("RecKit:Dashboard:ReadKey", "short", "dashboard.readKey")]
    [InlineData("RecKit:Dashboard:KeyOnLoopback", "true", "dashboard.keyOnLoopback")]
    [InlineData("RecKit:Dashboard:Colour", "blue", "serve.dashboard.colour")]
    public void ABadSetting_IsRefusedBeforeAnythingStarts(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var error = Assert.Throws<ArgumentException>(() => ServeConfiguration.Bind(configuration));
        Assert.Contains(named, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ARetrainAskedFor_RunsOnce_AndTheBundlesPageSaysHowItEnded()
    {
        using var factory = new ServerFactory(new()
        {
            ["RecKit:Retraining:Command:0"] = "bash",
            ["RecKit:Retraining:Command:1"] = "-c",
            ["RecKit:Retraining:Command:2"] = "sleep 1",
            ["RecKit:Dashboard:ReadKey"] = ReadKey,
        });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ServerFactory.ApiKey);
        client.DefaultRequestHeaders.Add("X-Dashboard-Key", ReadKey);
        using var started = await client.PostAsync("/admin/retrain", null);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        using var again = await client.PostAsync("/admin/retrain", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already running", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("A retrain is running.", await client.GetStringAsync("/dashboard/bundles"), StringComparison.Ordinal);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string page;
        while (!(page = await client.GetStringAsync("/dashboard/bundles")).Contains("Last retrain", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Contains("Last retrain succeeded", page, StringComparison.Ordinal);
        Assert.Contains("asked for by an operator", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetrain_IsRefused_WhereTheServerCannotRetrain()
    {
        using var factory = new ServerFactory();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ServerFactory.ApiKey);
        using var answer = await client.PostAsync("/admin/retrain", null);
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("serve.retraining.command", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SignIn(HttpClient client, string key, string back) =>
        client.PostAsync("/dashboard/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["back"] = back }));
}
