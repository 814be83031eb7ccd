using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecKit.Tuning;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>
/// `reckit tune DATA --models als,itemknn`: searches each model's options on a validation part carved from the training
/// part of the split (the test part is never seen), by successive halving, and writes the config with the chosen
/// options, so that `reckit evaluate --config` (or the main job) runs tuned.
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("data") { Description = "Interaction file, or a MovieLens directory." };
        var models = new Option<string>("--models") { Description = "Comma-separated models to tune (als, bpr, itemknn, ease, two-tower: IDs alone here; the main job's tune section fits it with the catalogue's features).", DefaultValueFactory = _ => "als" };
        var candidates = new Option<int>("--candidates") { Description = "Candidates drawn per model (the configured settings are one).", DefaultValueFactory = _ => 27 }.AtLeast(1);
        var seconds = new Option<double?>("--seconds") { Description = "Stop starting trials of a model after this many seconds." };
        var k = new Option<int>("--k") { Description = "The score: NDCG at this cut-off on the validation part.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var config = new Option<string?>("--config") { Description = $"JSON config whose \"models\" section holds the settings tuning starts from (default ./{ConfigFile.DefaultName} when present)." };
        var output = new Option<string>("--out") { Description = "Where to write the config with the chosen options.", DefaultValueFactory = _ => "tuned.json" };
        var json = new Option<string?>("--json") { Description = "Write every trial (options, budget, score, seconds) to this JSON file." };
        var source = new DataSourceOptions();
        var split = new SplitOptions();
        var command = new Command("tune", "Choose each model's options on a validation part of the training data (successive halving), and write them as a config.")
        {
            path, models, candidates, seconds, k, config, output, json,
        };
        source.AddTo(command);
        split.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var names = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in names)
            {
                _ = PlainModels.Get(name);
                _ = TuningSpace.For(name) ?? throw new ArgumentException($"--models: '{name}' has nothing to tune; tunable: {string.Join(", ", TuningSpace.Tunable)}.");
            }

            var options = new TuningOptions { Candidates = parse.GetValue(candidates), Seconds = parse.GetValue(seconds), K = parse.GetValue(k), Seed = parse.GetValue(split.Seed) };
            options.Validate();
            var file = ConfigFile.Load(parse.GetValue(config));
            var load = source.Load(parse, parse.GetValue(path)!);
            DataCommand.PrintLoad(load.Summary);
            CommandRunner.Out.MarkupLine("{0}", Markup.Escape(file.Describe()));
            var train = split.Apply(parse, load.Interactions)[0].Train; // the test part stays unseen
            var results = new List<TuningResult>();
            var done = 0;
            CommandRunner.Live(autoClear: false, progress =>
            {
                foreach (var name in names)
                {
                    done = 0;
                    var task = progress?.AddTask(Markup.Escape(name), maxValue: SuccessiveHalving.Trials(options.Candidates, options.Eta));
                    results.Add(ModelTuner.Tune(name, file.Section("models", name), train, options, (trial, best) =>
                    {
                        done++;
                        if (task is null)
                        {
                            CommandRunner.Out.MarkupLine(CultureInfo.InvariantCulture, "{0} trial {1}: candidate {2} on {3:P0} of the budget, NDCG@{4} {5:F4} ({6:F1} s); best so far {7:F4}", Markup.Escape(name), done, trial.Candidate, trial.Budget, options.K, trial.Score, trial.Seconds, best.Score);
                            return;
                        }

                        task.Increment(1);
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{name}: best {best.Score:F4} at {best.Budget:P0}"));
                    }, cancellation: CommandRunner.Cancellation));
                    task?.StopTask();
                }
            });
            Print(results);
            var tuned = file.Copy();
            var section = tuned["models"] as JsonObject ?? [];
            foreach (var result in results)
            {
                section[result.Model] = result.Best.DeepClone();
            }

            tuned["models"] = section;
            JsonOutput.Write(parse.GetValue(output)!, tuned);
            CommandRunner.Out.MarkupLine("wrote {0}: run `reckit evaluate {1} --models {2} --config {0}` to see the tuned models on the test part", Markup.Escape(parse.GetValue(output)!), Markup.Escape(parse.GetValue(path)!), Markup.Escape(string.Join(",", names)));
            if (parse.GetValue(json) is { } jsonPath)
            {
                JsonOutput.Write(jsonPath, results.Select(r => new { model = r.Model, metric = r.Metric, configured = r.ConfiguredScore, best = r.BestScore, chosen = r.Best, seconds = r.Seconds, trials = r.Trials.Select(t => new { candidate = t.Candidate, budget = t.Budget, score = t.Score, seconds = t.Seconds, options = t.Options }) }));
                CommandRunner.Out.MarkupLine("wrote {0}", Markup.Escape(jsonPath));
            }

            return 0;
        }));
        return command;
    }

    private static void Print(List<TuningResult> results)
    {
        var table = new Table().AddColumns("model", "metric", "configured", "tuned", "chosen options", "trials", "seconds");
        foreach (var r in results)
        {
            var spec = RecKit.Models.ModelSpec.Read(r.Model, r.Best);
            var written = spec.WriteOptions(); // every option, defaults included; null where the default depends on another (the two-tower's λ on its solver)
            var searched = TuningSpace.For(r.Model, spec.Options)!.Parameters.Select(p => $"{p.Name} {(written[p.Name] is { } value ? value.ToJsonString() : "default")}");
            table.AddRow(
                Markup.Escape(r.Model), r.Metric,
                r.ConfiguredScore.ToString("F4", CultureInfo.InvariantCulture), r.BestScore.ToString("F4", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", searched)), r.Trials.Count.ToString(CultureInfo.InvariantCulture), r.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        }

        CommandRunner.Out.Write(table);
        CommandRunner.Out.MarkupLine("scores are NDCG on the validation part carved from the training part (20% of each user's interactions); the test part was not used");
    }
}
