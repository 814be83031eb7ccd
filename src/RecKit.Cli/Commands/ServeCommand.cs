using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using RecKit.Pipeline;
using RecKit.Server;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>
/// `reckit serve [--config FILE] [--bundle-root DIR] [--urls URL] [--db FILE] [--api-key KEY] [--RecKit:Key=value ...]`:
/// the online service. Its settings are the config file's "serve" section (the file `reckit run` reads; the bundle root
/// defaults to that run's output), then RECKIT__* environment variables, then --RecKit:* arguments and these flags.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"Config file whose \"serve\" section configures the service (default ./{ConfigFile.DefaultName} when present)." };
        var root = new Option<string?>("--bundle-root") { Description = "Folder of bundles with 'current'. Default: serve.bundleRoot, else the main job's output (out/bundles)." };
        var urls = new Option<string>("--urls") { Description = "Where Kestrel listens.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var db = new Option<string?>("--db") { Description = "SQLite interaction store (created on first start). Default BUNDLE-ROOT/interactions.db." };
        var key = new Option<string?>("--api-key") { Description = "API key (header X-Api-Key) for /admin and deletes; better from RECKIT__APIKEY, kept out of shell history." };
        var command = new Command("serve", "Serves the current bundle over HTTP: live recommendations, ingest, hot reload, A/B, metrics. Any setting also as --RecKit:Key=value.") { config, root, urls, db, key };
        command.TreatUnmatchedTokensAsErrors = false; // --RecKit:Experiment:Name=x and the like go to the service's configuration, which checks them
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var (serve, file) = Section(parse.GetValue(config));
            var args = Overrides(parse.UnmatchedTokens, parse.GetValue(root), parse.GetValue(db), parse.GetValue(key));
            args.AddRange(["--urls", parse.GetValue(urls)!]);
            CommandRunner.Out.MarkupLine("{0}", Markup.Escape(file.Describe()));
            var app = ServerApp.Build([.. args], serve, file.Path);
            app.StartAsync(CommandRunner.Cancellation).GetAwaiter().GetResult();
            app.WaitForShutdownAsync(CommandRunner.Cancellation).GetAwaiter().GetResult();
            return 0;
        }));
        return command;
    }

    /// <summary>The config file's "serve" section, its bundle root defaulting to where the file's main job writes bundles.</summary>
    internal static (JsonObject Serve, ConfigFile File) Section(string? path)
    {
        var file = ConfigFile.Load(path);
        var serve = file.Serve ?? [];
        if (!serve.ContainsKey("bundleRoot") && !serve.ContainsKey("BundleRoot"))
        {
            serve["bundleRoot"] = file.ReadRoot<MainJobSettings>().Output.BundleRoot;
        }

        return (serve, file);
    }

    /// <summary>Command-line configuration keys: what was left unparsed (checked as --RecKit:Key=value), then the flags.</summary>
    internal static List<string> Overrides(IReadOnlyList<string> unmatched, string? bundleRoot, string? database, string? apiKey)
    {
        var args = new List<string>();
        for (var j = 0; j < unmatched.Count; j++)
        {
            var token = unmatched[j];
            if (!token.StartsWith("--RecKit:", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"unknown argument '{token}': settings are --RecKit:Key=value (for example --RecKit:MaxK=50), see reckit serve --help.");
            }

            args.Add(token.Contains('=', StringComparison.Ordinal) || j + 1 >= unmatched.Count ? token : $"{token}={unmatched[++j]}");
        }

        if (bundleRoot is not null)
        {
            args.Add($"--RecKit:BundleRoot={bundleRoot}");
        }

        if (database is not null)
        {
            args.Add($"--RecKit:Database={database}");
        }

        if (apiKey is not null)
        {
            args.Add($"--RecKit:ApiKey={apiKey}");
        }

        return args;
    }
}
