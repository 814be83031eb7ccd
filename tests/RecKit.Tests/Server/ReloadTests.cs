using System.Net;
using System.Text.Json;
using RecKit.Bundles;

namespace RecKit.Tests.Server;

/// <summary>
/// Hot reload over the real server, alone: it reads /metrics for the serving bundle's info, and OpenTelemetry's listener
/// is process-wide, so another test's server serving v0001 at the same time would show in this one's export.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ReloadTests : IDisposable
{
    private readonly ServerFactory _factory = new();
    private readonly HttpClient _client;

    public ReloadTests() => _client = _factory.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Reload_SwapsToANewGoodBundle_AndRefusesABrokenOne_WhileTheOldKeepsServing()
    {
        var store = new BundleStore(_factory.Root);
        var second = store.Write(LatestSmallBundle.Content);
        Assert.Equal("v0002", second);
        using (var reload = await Admin("/admin/reload"))
        {
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        }

        using (var ready = await Get("/health/ready"))
        {
            Assert.Equal("v0002", ready.RootElement.GetProperty("bundle").GetString());
        }

        // v0003: a copy of v0002 with one model file damaged, made current.
        var broken = store.PathOf("v0003");
        foreach (var file in Directory.EnumerateFiles(store.PathOf(second), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(broken, Path.GetRelativePath(store.PathOf(second), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var model = Path.Combine(broken, "models", "als.model");
        var bytes = File.ReadAllBytes(model);
        bytes[^20] ^= 0xFF;
        File.WriteAllBytes(model, bytes);
        store.MakeCurrent("v0003");
        using (var refused = await Admin("/admin/reload"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var detail = await refused.Content.ReadAsStringAsync();
            Assert.Contains("v0003/models/als.model", detail, StringComparison.Ordinal);
            Assert.DoesNotContain(_factory.Root, detail, StringComparison.Ordinal); // the server's own folders are not the caller's business
        }

        using var still = await Get("/v1/users/1/recommendations?k=3");
        Assert.Equal("v0002", still.RootElement.GetProperty("bundle").GetString());
        var metrics = await _client.GetStringAsync("/metrics");
        Assert.Matches("(?m)^reckit_bundle_info\\{[^}]*version=\"v0002\"\\} 1$", metrics);
        Assert.DoesNotMatch("(?m)^reckit_bundle_info\\{[^}]*version=\"v0001\"", metrics); // only the serving bundle
        Assert.Matches("(?m)^reckit_bundle_reloads_total\\{[^}]*outcome=\"refused\"", metrics);
    }

    private Task<HttpResponseMessage> Admin(string path) => _client.AdminPostAsync(path);

    private Task<JsonDocument> Get(string path) => _client.GetJsonAsync(path);
}
