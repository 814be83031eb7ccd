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

    /// <summary>The settings of a two-arm experiment: control on als, treatment on LogisticStack, half each.</summary>
    public static Dictionary<string, string?> ExperimentSettings(string name, string salt) => new()
    {
        ["RecKit:Experiment:Name"] = name,
        ["RecKit:Experiment:Salt"] = salt,
        ["RecKit:Experiment:Arms:0:Name"] = "control",
        ["RecKit:Experiment:Arms:0:Variant"] = "als",
        ["RecKit:Experiment:Arms:0:Weight"] = "50",
        ["RecKit:Experiment:Arms:1:Name"] = "treatment",
        ["RecKit:Experiment:Arms:1:Variant"] = "LogisticStack",
        ["RecKit:Experiment:Arms:1:Weight"] = "50",
    };

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
