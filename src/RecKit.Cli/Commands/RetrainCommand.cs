using System.CommandLine;
using System.Text.Json;
using RecKit.Cli.Pipeline;
using RecKit.Pipeline;
using RecKit.Data;
using RecKit.Models;
using RecKit.Serving;
using Spectre.Console;

using RecKit.Bundles;

namespace RecKit.Cli.Commands;

/// <summary>
/// `reckit retrain --bundle-root DIR [--db FILE]`: seed 003 §8.1's offline layer. Runs the main job that built the
/// current bundle again (its config.json) on the original data plus every interaction the service ingested, writes the
/// next bundle version into the same root and points current at it; a running server picks it up on its next check.
/// </summary>
internal static class RetrainCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--bundle-root") { Description = "The bundle root the service serves.", Required = true };
        var db = new Option<string?>("--db") { Description = "The service's interaction store. Default BUNDLE-ROOT/interactions.db." };
        var output = new Option<string?>("--out") { Description = "Where the retraining run's report and figures go. Default BUNDLE-ROOT/retrain." };
        var command = new Command("retrain", "Retrains on the original data plus the interactions the service ingested; writes the next bundle and makes it current.") { root, db, output };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var store = new BundleStore(parse.GetValue(root)!);
            var version = store.CurrentVersion() ?? throw new ArgumentException($"--bundle-root: {store.Root} has no current bundle; reckit run writes the first one.");
            var configPath = Path.Combine(store.PathOf(version), BundleStore.ConfigFile);
            if (!File.Exists(configPath))
            {
                throw new ArgumentException($"{configPath}: missing; bundle {version} was not written by reckit run, so how to retrain it is unknown.");
            }

            var stored = JsonSerializer.Deserialize<MainJobSettings>(File.ReadAllText(configPath), StrictJson.Options)!;
            var settings = (stored with { Output = new MainJobSettings.OutputSettings() }).WithOutputUnder(parse.GetValue(output) ?? Path.Combine(store.Root, "retrain"));
            settings = settings with { Output = settings.Output with { Bundles = store.Root } };
            settings.Validate();
            var (ingested, through) = Ingested(parse.GetValue(db) ?? Path.Combine(store.Root, "interactions.db"), settings);
            CommandRunner.Out.MarkupLine("{0}", Markup.Escape($"retraining bundle {version} ({configPath}) with {ingested.Count:N0} ingested interactions"));
            return ReportTable.RunMainJob(settings, new MainJob.Retraining(ingested, through));
        }));
        return command;
    }

    /// <summary>
    /// Every ingested interaction as training data for this catalogue: for ratings, a positive interaction counts as
    /// liked (the evaluation threshold); for counts, its type's weight times its value; otherwise 1. Negative types
    /// (dislike, hide) are exclusions, not training data, and are left out.
    /// </summary>
    private static (List<IngestedInteraction> Interactions, long Through) Ingested(string path, MainJobSettings settings)
    {
        if (!File.Exists(path))
        {
            return ([], 0);
        }

        var types = FeedbackTypes.Default;
        var list = new List<IngestedInteraction>();
        long through = 0;
        var store = SqliteInteractionStore.Open(path);
        try
        {
            foreach (var x in store.ReadSince(0))
            {
                through = x.Id;
                var weight = types.Weights.GetValueOrDefault(x.Type, 1);
                if (weight < 0)
                {
                    continue;
                }

                var value = settings.Data.Values switch
                {
                    ValueMeaning.Ratings => settings.Evaluation.Threshold,
                    ValueMeaning.Counts => (float)(weight * x.Value),
                    _ => 1f,
                };
                list.Add(new IngestedInteraction(x.User, x.Item, value, x.Timestamp));
            }
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return (list, through);
    }
}
