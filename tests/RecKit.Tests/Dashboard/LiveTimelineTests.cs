using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RecKit.Server;
using RecKit.Server.Dashboard;
using RecKit.Tests.Server;

namespace RecKit.Tests.Dashboard;

/// <summary>The last hour in ten-second steps, fed by the server's own instruments, on a clock the test moves.</summary>
public sealed class LiveTimelineTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-29T12:00:03Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ServerFactory _factory = new();
    private readonly WebApplicationFactory<RecKit.Server.Program> _app;

    public LiveTimelineTests() =>
        _app = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));

    [Fact]
    public async Task Requests_ErrorsAndIngest_LandInTheirStep_AndAgeOut()
    {
        using var client = _app.CreateClient();
        for (var i = 0; i < 12; i++)
        {
            (await client.GetAsync($"/v1/users/{i + 1}/recommendations?k=5&variant=als")).EnsureSuccessStatusCode();
        }

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await client.GetAsync("/v1/users/1/recommendations?k=zero")).StatusCode);
        (await client.PostAsync("/v1/interactions", new StringContent("""{"interactions":[{"user":"a","item":"1"},{"user":"a","item":"2"}]}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var timeline = _app.Services.GetRequiredService<LiveTimeline>();
        var now = timeline.Last(60);
        Assert.Equal(360, now.Count);
        var step = now[^1];
        Assert.Equal(DateTimeOffset.Parse("2026-11-29T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), step.Start);
        Assert.Equal(14, step.Requests);
        Assert.Equal(1, step.Errors);
        Assert.Equal(2, step.Ingested);
        Assert.Equal(12, step.Answers);
        Assert.Equal(12, step.Latency["als"].Requests);
        Assert.Equal(14, step.Latency[LiveTimeline.AllVariants].Requests);
        Assert.True(step.Latency["als"].P99 >= step.Latency["als"].P50 && step.Latency["als"].P50 > 0);
        Assert.All(now.Take(359), s => Assert.Equal(0, s.Requests));

        _clock.Advance(TimeSpan.FromSeconds(10));
        (await client.GetAsync("/v1/users/1/recommendations?k=5")).EnsureSuccessStatusCode();
        var later = timeline.Last(1);
        Assert.Equal(6, later.Count);
        Assert.Equal((14, 1), (later[^2].Requests, later[^1].Requests));

        _clock.Advance(TimeSpan.FromMinutes(60));
        Assert.All(timeline.Last(60), s => Assert.Equal(0, s.Requests)); // an hour on, the ring has nothing left of it
    }

    [Fact]
    public void Quantiles_InterpolateWithinTheirBucket()
    {
        var counts = new long[ServerMetrics.LatencyBuckets.Length + 1];
        counts[LiveTimeline.Bucket(0.0005)] = 100; // 0.4 to 0.8 ms
        Assert.Equal(3, LiveTimeline.Bucket(0.0005));
        Assert.Equal(0.6, LiveTimeline.Quantile(counts, 0.5), 9);
        Assert.Equal(0.796, LiveTimeline.Quantile(counts, 0.99), 9);
        counts[^1] = 100; // above every bound: reads as the last bound
        Assert.Equal(ServerMetrics.LatencyBuckets[^1] * 1000, LiveTimeline.Quantile(counts, 0.99), 9);
        Assert.Equal(0, LiveTimeline.Quantile(new long[counts.Length], 0.5));
    }

    public void Dispose()
    {
        _app.Dispose();
        _factory.Dispose();
    }
}
