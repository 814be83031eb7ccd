using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace RecKit.Tests.Server;

/// <summary>The real server (Program) in memory over a fresh copy of the ml-latest-small bundle and its own SQLite file.</summary>
public sealed class ServerFactory : WebApplicationFactory<RecKit.Server.Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ServerFactory(Dictionary<string, string?>? settings = null)
    {
        Root = LatestSmallBundle.NewRoot();
        _settings = new Dictionary<string, string?>
        {
            ["RecKit:BundleRoot"] = Root,
            ["RecKit:ApiKey"] = ApiKey,
            ["RecKit:ReloadPollSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public const string ApiKey = "test-key";

    public string Root { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(Root))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Root, recursive: true);
        }
    }
}
