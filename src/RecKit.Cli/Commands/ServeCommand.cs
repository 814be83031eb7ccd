using System.CommandLine;
using Microsoft.Extensions.Hosting;
using RecKit.Server;

namespace RecKit.Cli.Commands;

/// <summary>`reckit serve --bundle-root DIR [--urls URL] [--db FILE] [--api-key KEY]`: the online service over a bundle root.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--bundle-root") { Description = "Folder of bundles with 'current' (reckit run writes out/bundles).", Required = true };
        var urls = new Option<string>("--urls") { Description = "Where Kestrel listens.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var db = new Option<string?>("--db") { Description = "SQLite interaction store (created on first start). Default BUNDLE-ROOT/interactions.db." };
        var key = new Option<string?>("--api-key") { Description = "API key (header X-Api-Key) for /admin/reload; also read from RECKIT__APIKEY." };
        var command = new Command("serve", "Serves the current bundle over HTTP: live recommendations, ingest, hot reload, A/B, metrics.") { root, urls, db, key };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var settings = new ServerSettings
            {
                BundleRoot = parse.GetValue(root)!,
                Database = parse.GetValue(db),
                ApiKey = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("RECKIT__APIKEY"),
            };
            settings.Validate();
            var app = ServerApp.Build(["--urls", parse.GetValue(urls)!], settings);
            app.StartAsync(CommandRunner.Cancellation).GetAwaiter().GetResult();
            app.WaitForShutdownAsync(CommandRunner.Cancellation).GetAwaiter().GetResult();
            return 0;
        }));
        return command;
    }
}
