using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecKit.Tests.Server;

namespace RecKit.Tests.Dashboard;

/// <summary>
/// A real server on Kestrel (127.0.0.1, a free port) over a fresh copy of the ml-latest-small bundle with an A/B
/// experiment, and Debian's chromium driven by Playwright (it never downloads its own browsers here); chromium is
/// installed by eng/install-test-packages.sh when missing. One of each for a test class.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public ServerFactory Server { get; } = new(ServerFactory.ExperimentSettings("dashboard-test", "s1"));

    public Uri Address { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        EnsureChromium();
        Server.UseKestrel(0);
        Server.StartServer();
        var addresses = Server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        Api = new HttpClient { BaseAddress = Address };
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A new tab at <paramref name="width"/> px that records every console error, failed request and 4xx/5xx answer.</summary>
    public async Task<WatchedPage> OpenAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        return new WatchedPage(context, await context.NewPageAsync(), Address);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        Api.Dispose();
        await Server.DisposeAsync();
    }

    private static void EnsureChromium()
    {
        if (File.Exists(Chromium))
        {
            return;
        }

        using var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(TestData.RepoRoot, "eng", "install-test-packages.sh")]) { RedirectStandardError = true })!;
        var errors = install.StandardError.ReadToEnd();
        install.WaitForExit();
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"chromium is not installed and eng/install-test-packages.sh could not install it (exit {install.ExitCode}): {errors}");
        }
    }
}

/// <summary>A browser tab and what went wrong in it: console errors, failed requests, answers of 400 and above.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    public WatchedPage(IBrowserContext context, IPage page, Uri address)
    {
        _context = context;
        Page = page;
        Address = address;
        page.Console += (_, message) =>
        {
            // Chromium logs every 4xx a script fetches; the ones a test provokes on purpose are not problems.
            var expected = Expected.Any(code => message.Text.Contains($"status of {code} ", StringComparison.Ordinal));
            if (message.Type == "error" && !expected)
            {
                Add($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) => Add($"request failed: {request.Method} {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !Expected.Contains(response.Status))
            {
                Add($"{response.Status} for {response.Request.Method} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    public Uri Address { get; }

    /// <summary>Statuses a test expects to see (an action refused on purpose); everything else of 400 and above is a problem.</summary>
    public HashSet<int> Expected { get; } = [];

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>Goes to a dashboard path and returns the page's load time (navigation start to the load event) in ms.</summary>
    public async Task<double> GoAsync(string path)
    {
        var response = await Page.GotoAsync(new Uri(Address, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);
        Assert.True(response.Ok, $"{path} answered {response.Status}");
        return await Page.EvaluateAsync<double>("() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd > 0 ? n.loadEventEnd - n.startTime : n.duration; }");
    }

    /// <summary>Fails with every problem seen so far.</summary>
    public void AssertClean() => Assert.True(Problems.Count == 0, string.Join(Environment.NewLine, Problems));

    private void Add(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
