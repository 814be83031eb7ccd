using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RecKit.Serving;
using RecKit.Tests.Server;
using Xunit.Abstractions;

namespace RecKit.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's chromium through Playwright) against a real server, bundle and store:
/// every page loads with no console error and no failed request, at desktop and phone width; what it shows is what
/// the API answers; hiding an item takes it out of a user's lists; an ingest shows on refresh; the keyboard alone
/// finds an item; the experiment readout is `reckit ab report`'s; the live charts count traffic and refresh in place.
/// Run alone: in-process Kestrel shares the thread pool with the rest of the suite, and a page once waited 30 s for it.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string User = "414";

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task EveryPage_Loads_WithNoConsoleErrorOrFailedRequest_AndFitsTheWidth(int width)
    {
        await using var tab = await fixture.OpenAsync(width);
        foreach (var (path, heading) in new[]
        {
            ("/dashboard", "Overview"),
            ("/dashboard/users", "Users"),
            ($"/dashboard/users/{User}", $"User {User}"),
            ("/dashboard/items", "Items"),
            ("/dashboard/items?q=story", "Items"),
            ("/dashboard/items/1", "Item 1"),
            ("/dashboard/experiments", "Experiments"),
            ("/dashboard/bundles", "Bundles"),
        })
        {
            var ms = await tab.GoAsync(path);
            output.WriteLine($"{width} px {path}: loaded in {ms:0} ms");
            Assert.Equal(heading, await tab.Page.Locator("h1").InnerTextAsync());
            // Nothing wider than the screen but the tables, which scroll inside their own box.
            var overflow = await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} at {width} px is {overflow} px wider than the screen");
        }

        await tab.GoAsync("/dashboard/items/1");
        Assert.Contains("Toy Story", await tab.Page.GetByTestId("title").InnerTextAsync(), StringComparison.Ordinal);
        tab.AssertClean();
    }

    [Fact]
    public async Task AUserFoundBySearch_ShowsEveryVariant_ExactlyAsTheApiAnswers()
    {
        await using var tab = await fixture.OpenAsync();
        await tab.GoAsync("/dashboard/users");
        await tab.Page.Locator("#user-q").FillAsync(User);
        await Navigate(tab.Page, () => tab.Page.Locator("#user-q").PressAsync("Enter"), "**/dashboard/users?q=*");
        await Navigate(tab.Page, () => tab.Page.Locator("table[data-testid=users] a").First.ClickAsync(), $"**/dashboard/users/{User}");

        var sections = tab.Page.Locator("section.variant");
        var count = await sections.CountAsync();
        Assert.True(count >= 4, $"only {count} variants shown");
        for (var s = 0; s < count; s++)
        {
            var variant = (await sections.Nth(s).GetAttributeAsync("data-variant"))!;
            var shown = await sections.Nth(s).Locator("li[data-item]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.item)");
            var api = await Recommended(User, variant);
            Assert.True(api.SequenceEqual(shown), $"{variant}: page {string.Join(",", shown)} vs API {string.Join(",", api)}");
        }

        Assert.Equal(ArmOf(User), await tab.Page.GetByTestId("arm").InnerTextAsync());
        Assert.True(await tab.Page.Locator("table[data-testid=trained] tbody tr").CountAsync() > 0);
        tab.AssertClean();
    }

    [Fact]
    public async Task HidingAnItem_NeedsTheAdminKey_AndTakesItOutOfTheUsersLists()
    {
        await using var tab = await fixture.OpenAsync();
        await tab.GoAsync($"/dashboard/users/{User}");
        var item = (await tab.Page.Locator("section.variant[data-variant=LogisticStack] li[data-item]").First.GetAttributeAsync("data-item"))!;
        await tab.GoAsync($"/dashboard/items/{item}");
        Assert.Equal("visible", await tab.Page.GetByTestId("state").InnerTextAsync());

        // No key: nothing is sent. A wrong key: the API's 401, said on the page.
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Hide this item" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#action-status")).ToContainTextAsync("admin key first");
        tab.Expected.Add(401);
        await tab.Page.Locator("#admin-key-input").FillAsync("not-the-key");
        await tab.Page.Locator("#admin-key-input").PressAsync("Enter");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Hide this item" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#action-status")).ToContainTextAsync("missing or wrong");
        Assert.Contains(item, await Recommended(User, "LogisticStack"));

        await tab.Page.Locator("#admin-key-input").FillAsync(ServerFactory.ApiKey);
        await tab.Page.Locator("#admin-key-input").PressAsync("Enter");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Hide this item" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByTestId("state")).ToHaveTextAsync("hidden");
        Assert.DoesNotContain(ServerFactory.ApiKey, await tab.Page.ContentAsync(), StringComparison.Ordinal); // the page never shows the key

        await tab.GoAsync($"/dashboard/users/{User}");
        var everywhere = await tab.Page.Locator("li[data-item]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.item)");
        Assert.DoesNotContain(item, everywhere);
        Assert.DoesNotContain(item, await Recommended(User, "LogisticStack"));

        await tab.GoAsync($"/dashboard/items/{item}");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Show this item again" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByTestId("state")).ToHaveTextAsync("visible");
        Assert.Contains(item, await Recommended(User, "LogisticStack"));
        tab.AssertClean();
    }

    [Fact]
    public async Task AnIngestFromElsewhere_ShowsOnTheUserPageAfterARefresh()
    {
        await using var tab = await fixture.OpenAsync();
        const string user = "ingest-visitor";
        await tab.GoAsync($"/dashboard/users/{user}");
        Assert.Equal(0, await tab.Page.Locator("table[data-testid=ingested] tbody tr").CountAsync());
        var item = (await tab.Page.Locator("section.variant[data-variant=als] li[data-item]").First.GetAttributeAsync("data-item"))!;

        using var ingest = await fixture.Api.PostAsJsonAsync("/v1/interactions", new { user, item, value = 5.0 });
        ingest.EnsureSuccessStatusCode();
        await tab.Page.ReloadAsync();
        var rows = tab.Page.Locator("table[data-testid=ingested] tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains(item, await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        var als = await tab.Page.Locator("section.variant[data-variant=als] li[data-item]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.item)");
        Assert.DoesNotContain(item, als); // seen now, so no longer recommended
        Assert.True((await Recommended(user, "als")).SequenceEqual(als));
        tab.AssertClean();
    }

    [Fact]
    public async Task TheKeyboardAlone_FindsAnItemAndOpensIt()
    {
        await using var tab = await fixture.OpenAsync();
        await tab.GoAsync("/dashboard/items");
        await tab.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await tab.Page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        for (var presses = 0; presses < 30 && await tab.Page.EvaluateAsync<string>("() => document.activeElement.id") != "item-q"; presses++)
        {
            await tab.Page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal("item-q", await tab.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        await tab.Page.Keyboard.TypeAsync("toy story");
        Assert.Equal("toy story", await tab.Page.Locator("#item-q").InputValueAsync());
        await Navigate(tab.Page, () => tab.Page.Keyboard.PressAsync("Enter"), "**/dashboard/items?q=*");
        var first = tab.Page.Locator("table[data-testid=items] tbody tr").First;
        Assert.Contains("Toy Story", await first.InnerTextAsync(), StringComparison.Ordinal);
        await first.Locator("a").FocusAsync();
        await Navigate(tab.Page, () => tab.Page.Keyboard.PressAsync("Enter"), "**/dashboard/items/*");
        Assert.Contains("Toy Story", await tab.Page.GetByTestId("title").InnerTextAsync(), StringComparison.Ordinal);
        var outline = await tab.Page.EvaluateAsync<string>("() => { const a = document.querySelector('nav a'); a.focus(); return getComputedStyle(a).outlineStyle; }");
        Assert.NotEqual("none", outline); // focus is visible
        tab.AssertClean();
    }

    [Fact]
    public async Task TheExperimentPage_ShowsTheReadoutOfReckitAbReport()
    {
        foreach (var user in new[] { "11", "12", "13", "14", "15", "16" })
        {
            var items = (await Recommended(user, null)).Take(4).ToList();
            (await fixture.Api.PostAsJsonAsync("/v1/feedback/impressions", new { user, items })).EnsureSuccessStatusCode();
            (await fixture.Api.PostAsJsonAsync("/v1/feedback/clicks", new { user, items = items.Take(1) })).EnsureSuccessStatusCode();
        }

        var service = fixture.Server.Services.GetService(typeof(RecommendationService)) as RecommendationService;
        var report = AbReport.Compute(service!.Store.ReadFeedback(), AbReport.LongTail(service.Current.Bundle), new AbReportOptions { Experiment = "dashboard-test", Arms = ["control", "treatment"], Control = "control" });

        await using var tab = await fixture.OpenAsync();
        await tab.GoAsync("/dashboard/experiments");
        foreach (var arm in report.Arms)
        {
            var row = tab.Page.Locator("table[data-testid=arms] tbody tr").Filter(new() { HasText = arm.Arm });
            var cells = await row.First.Locator("td").AllInnerTextsAsync();
            Assert.Equal(arm.Users.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[2]);
            Assert.Equal(arm.Impressions.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[3]);
            Assert.Equal(arm.Clicks.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[4]);
        }

        Assert.True(report.Arms.Sum(a => a.Impressions) >= 24);
        tab.AssertClean();
    }

    [Fact]
    public async Task TheOverview_CountsLiveTraffic_AndRefreshesItInPlace()
    {
        await using var tab = await fixture.OpenAsync();
        var ms = await tab.GoAsync("/dashboard");
        output.WriteLine($"overview loaded in {ms:0} ms");
        Assert.Equal("v0001", await tab.Page.GetByTestId("version").InnerTextAsync());
        Assert.True(await tab.Page.Locator("table[data-testid=offline] tbody tr").CountAsync() >= 4);
        var before = await HourRequests(tab.Page);
        await tab.Page.EvaluateAsync("() => { window.notReloaded = true; }");
        for (var i = 0; i < 40; i++)
        {
            (await fixture.Api.GetAsync($"/v1/users/{i + 1}/recommendations?k=5")).EnsureSuccessStatusCode();
        }

        // The live section is fetched again every 5 s and swapped in without a page load.
        await Assertions.Expect(tab.Page.Locator("#live .note")).Not.ToContainTextAsync($"This hour: {before:N0} requests", new() { Timeout = 15_000 });
        Assert.True(await HourRequests(tab.Page) >= before + 40);
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        tab.AssertClean();
    }

    [Fact]
    public async Task TheBundlesPage_ShowsWhatServes_AndReloadsWithTheKey()
    {
        await using var tab = await fixture.OpenAsync();
        await tab.GoAsync("/dashboard/bundles");
        Assert.Contains("v0001 · serving", await tab.Page.Locator("table[data-testid=shelf] thead").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("cannot retrain", await tab.Page.GetByTestId("retrain").InnerTextAsync(), StringComparison.Ordinal);
        await tab.Page.Locator("#admin-key-input").FillAsync(ServerFactory.ApiKey);
        await tab.Page.Locator("#admin-key-input").PressAsync("Enter");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Reload the current bundle" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#action-status")).ToHaveTextAsync("Reload checked.");
        tab.AssertClean();
    }

    /// <summary>Does <paramref name="action"/> and waits for the page to arrive at <paramref name="url"/>, with room for a machine busy with the rest of the suite.</summary>
    private static async Task Navigate(IPage page, Func<Task> action, string url)
    {
        var arrived = page.WaitForURLAsync(url, new() { Timeout = 90_000 });
        await action();
        await arrived;
    }

    private static async Task<long> HourRequests(IPage page)
    {
        var note = await page.Locator("#live .note").InnerTextAsync();
        var text = note[(note.IndexOf("This hour: ", StringComparison.Ordinal) + 11)..];
        return long.Parse(text[..text.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string[]> Recommended(string user, string? variant)
    {
        var query = variant is null ? "k=10" : $"k=10&variant={variant}";
        using var answer = JsonDocument.Parse(await fixture.Api.GetStringAsync($"/v1/users/{user}/recommendations?{query}"));
        return [.. answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()!)];
    }

    private static string ArmOf(string user)
    {
        var experiment = new Experiment
        {
            Name = "dashboard-test",
            Salt = "s1",
            Arms = [new ExperimentArm("control", "als", 50), new ExperimentArm("treatment", "LogisticStack", 50)],
        };
        var arm = experiment.Assign(user);
        return $"{arm.Name} (variant {arm.Variant})";
    }
}
