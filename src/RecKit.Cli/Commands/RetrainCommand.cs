using System.CommandLine;
using System.Text.Json;
using RecKit.Cli.Pipeline;
using RecKit.Pipeline;
using RecKit.Data;
using RecKit.Models;
using RecKit.Server;
using RecKit.Serving;
using Spectre.Console;

using RecKit.Bundles;

namespace RecKit.Cli.Commands;

/// <summary>
/// `reckit retrain --bundle-root DIR [--db FILE]`: design note 3 §8.1's offline layer. Runs the main job that built the
/// current bundle again (its config.json) on the original data plus every interaction the service ingested, writes the
/// next bundle version into the same root and points current at it; a running server picks it up on its next check.
/// </summary>
internal static class RetrainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"The config file the service runs with: its \"serve\" section gives the bundle root, store and feedback types (default ./{ConfigFile.DefaultName} when present)." };
        var root = new Option<string?>("--bundle-root") { Description = "The bundle root the service serves. Default: as reckit serve finds it." };
        var db = new Option<string?>("--db") { Description = "The service's interaction store. Default: as reckit serve finds it (BUNDLE-ROOT/interactions.db)." };
        var output = new Option<string?>("--out") { Description = "Where the retraining run's report and figures go. Default BUNDLE-ROOT/retrain." };
        var command = new Command("retrain", "Retrains on the original data plus the interactions the service ingested; writes the next bundle and makes it current.") { config, root, db, output };
        command.TreatUnmatchedTokensAsErrors = false; // --RecKit:Key=value, as for reckit serve
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            // The service's own configuration, read as reckit serve reads it: the same feedback types, store and bundles.
            var (serve, file) = ServeCommand.Section(parse.GetValue(config));
            CommandRunner.Out.MarkupLine("{0}", Markup.Escape(file.Describe()));
            var service = ServeConfiguration.Read(serve, [.. ServeCommand.Overrides(parse.UnmatchedTokens, parse.GetValue(root), parse.GetValue(db), null)]).ToServiceOptions();
            var (settings, version, configPath) = Retraining.Plan(service.BundleRoot, parse.GetValue(output));
            var ingested = new MainJob.Retraining([], 0);
            if (service.StoreExists)
            {
                var store = service.OpenStore();
                try
                {
                    var rejected = new List<long>();
                    ingested = Retraining.Ingested(store, settings, service.FeedbackTypes, rejected);
                    if (rejected.Count > 0)
                    {
                        CommandRunner.Out.MarkupLine("{0}", Markup.Escape($"{rejected.Count:N0} stored interactions left out (timestamp outside {InteractionTime.Window(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())}, or a value that is not a number): ids {string.Join(", ", rejected.Take(10))}{(rejected.Count > 10 ? ", ..." : string.Empty)}"));
                    }
                }
                finally
                {
                    store.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }

            CommandRunner.Out.MarkupLine("{0}", Markup.Escape($"retraining bundle {version} ({configPath}) with {ingested.Interactions.Count:N0} ingested interactions"));
            return ReportTable.RunMainJob(settings, ingested);
        }));
        return command;
    }
}
