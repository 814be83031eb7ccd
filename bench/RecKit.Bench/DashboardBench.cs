using System.Globalization;
using Microsoft.Playwright;

namespace RecKit.Bench;

/// <summary>
/// The dashboard in Debian's chromium through Playwright against a running server:
/// `dashboard BASE-URL [runs=5] [user] [item] [screenshots-folder]`. Loads every page `runs` times, the pages in turn
/// (so no page is only ever measured warm), and prints each load (navigation start to the load event, ms) and the
/// server's part (time to the first byte). With a folder, it also saves a PNG of every page at 1280 px and the user
/// page at 390 px, and the overview's live charts.
/// </summary>
internal static class DashboardBench
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: dashboard BASE-URL [runs=5] [user] [item] [screenshots-folder]");
            return 2;
        }

        var baseUrl = new Uri(args[0]);
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var user = args.Length > 2 ? args[2] : "1";
        var item = args.Length > 3 ? args[3] : "1";
        var shots = args.Length > 4 ? args[4] : null;
        return RunAsync(baseUrl, runs, user, item, shots).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Uri baseUrl, int runs, string user, string item, string? shots)
    {
        (string Name, string Path)[] pages =
        [
            ("overview", "/dashboard"),
            ("users", "/dashboard/users"),
            ("user", $"/dashboard/users/{Uri.EscapeDataString(user)}"),
            ("items", "/dashboard/items"),
            ("search", "/dashboard/items?q=zzz-no-match"),
            ("item", $"/dashboard/items/{Uri.EscapeDataString(item)}"),
            ("experiments", "/dashboard/experiments"),
            ("bundles", "/dashboard/bundles"),
        ];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var loads = pages.ToDictionary(p => p.Name, _ => new List<(double Load, double FirstByte)>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var (name, path) in pages)
            {
                var response = await page.GotoAsync(new Uri(baseUrl, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
                if (response is null || !response.Ok)
                {
                    Console.Error.WriteLine($"{path} answered {response?.Status}");
                    return 1;
                }

                var timing = await page.EvaluateAsync<double[]>("() => { const n = performance.getEntriesByType('navigation')[0]; return [n.loadEventEnd - n.startTime, n.responseStart - n.startTime]; }");
                loads[name].Add((timing[0], timing[1]));
            }
        }

        foreach (var (name, path) in pages)
        {
            var ms = loads[name];
            var median = ms.Select(m => m.Load).Order().ElementAt(ms.Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-12} {path,-40} load ms: {string.Join(" ", ms.Select(m => m.Load.ToString("0", CultureInfo.InvariantCulture)))} (median {median:0}); server ms: {string.Join(" ", ms.Select(m => m.FirstByte.ToString("0", CultureInfo.InvariantCulture)))}"));
        }

        if (shots is not null)
        {
            Directory.CreateDirectory(shots);
            foreach (var (name, path) in pages.Where(p => p.Name != "search"))
            {
                await page.GotoAsync(new Uri(baseUrl, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"dashboard-{name}.png") });
            }

            await page.GotoAsync(new Uri(baseUrl, "/dashboard").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            await page.Locator("#live").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(shots, "dashboard-live.png") });
            var phone = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
            await phone.GotoAsync(new Uri(baseUrl, $"/dashboard/users/{Uri.EscapeDataString(user)}").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "dashboard-user-phone.png") });
            Console.WriteLine($"screenshots in {shots}");
        }

        return 0;
    }
}
