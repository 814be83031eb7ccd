using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RecKit.Data.Splits;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Training;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>
/// `reckit train DATA --model NAME`: fits one model with the training loop people expect — progress, a line per
/// epoch with loss and validation Recall@10 on a seeded sample of users, a checkpoint per epoch, early stopping,
/// resume, and Ctrl+C that stops cleanly after saving.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("data") { Description = "Interaction file, or a MovieLens directory." };
        var model = new Option<string>("--model") { Description = "Model name.", Required = true };
        var config = new Option<string?>("--config") { Description = $"JSON config file (default ./{ConfigFile.DefaultName} when present)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (iterations)." }.AtLeast(1);
        var lr = new Option<double?>("--lr") { Description = "Learning rate." }.Positive();
        var batch = new Option<int?>("--batch-size") { Description = "Minibatch size." }.AtLeast(1);
        var factors = new Option<int?>("--factors") { Description = "Latent factors (embedding size)." }.AtLeast(1);
        var threads = new Option<int?>("--threads") { Description = "Threads (default: all cores; 1 is bit-for-bit reproducible)." }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of the validation split and of the model.", DefaultValueFactory = _ => 42 };
        var validation = new Option<double?>("--validation-fraction") { Description = "Share of each user's interactions held out for per-epoch validation (0 disables; default 0.1)." }.Share(minAllowed: true);
        var metric = new Option<string?>("--metric") { Description = "Validation metric for early stopping (default Recall@10)." };
        var patience = new Option<int?>("--patience") { Description = "Epochs without improvement before stopping (0: never; default 3)." }.AtLeast(0);
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint written each epoch (default models/model.ckpt)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint." };
        var output = new Option<string?>("--out") { Description = "Where to write the trained (best) model (default models/NAME.model)." };
        var source = new DataSourceOptions();
        var command = new Command("train", "Train one model, with validation, checkpoints and early stopping.")
        {
            path, model, config, epochs, lr, batch, factors, threads, seed, validation, metric, patience, checkpoint, resume, output,
        };
        source.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var name = parse.GetValue(model)!;
            ModelCatalog.Require([name]);
            var file = ConfigFile.Load(parse.GetValue(config));
            CommandRunner.Out.MarkupLine("{0}", Markup.Escape(file.Describe()));
            var settings = file.Section("models", name);
            // ALS counts its sweeps as iterations; --epochs means the same thing there.
            var optionNames = ModelCatalog.OptionNames(name);
            Override(settings, !optionNames.Contains("epochs") && optionNames.Contains("iterations") ? "iterations" : "epochs", parse.GetValue(epochs), name);
            Override(settings, "learningRate", parse.GetValue(lr), name);
            Override(settings, "batchSize", parse.GetValue(batch), name);
            Override(settings, "factors", parse.GetValue(factors), name);
            Override(settings, "threads", parse.GetValue(threads), name);
            if (optionNames.Contains("seed"))
            {
                settings["seed"] ??= parse.GetValue(seed);
            }

            var training = file.Read<TrainingSettings>("training");
            var stopping = training.EarlyStopping with
            {
                Metric = parse.GetValue(metric) ?? training.EarlyStopping.Metric,
                Patience = parse.GetValue(patience) ?? training.EarlyStopping.Patience,
                CheckpointPath = parse.GetValue(checkpoint) ?? training.EarlyStopping.CheckpointPath,
                Seed = parse.GetValue(seed),
            };
            var fraction = parse.GetValue(validation) ?? training.ValidationFraction;

            var load = source.Load(parse, parse.GetValue(path)!);
            DataCommand.PrintLoad(load.Summary);
            var data = load.Interactions;
            var parts = fraction > 0 ? Splitter.PerUser(data, fraction, parse.GetValue(seed)) : new Split(data, data.Subset([]));
            if (fraction > 0)
            {
                CommandRunner.Out.MarkupLine(CultureInfo.InvariantCulture, "validation: {0:N0} interactions held out ({1:P0} per user, seed {2}); metric {3} on {4} sampled users",
                    parts.Test.Count, fraction, parse.GetValue(seed), stopping.Metric, stopping.SampleUsers);
            }

            IRecommender? resumeFrom = null;
            var completed = 0;
            if (parse.GetValue(resume))
            {
                var ckpt = stopping.CheckpointPath ?? throw new ArgumentException("--resume needs a checkpoint path.");
                (resumeFrom, completed, _) = TrainingMonitor.LoadCheckpoint(ckpt);
                CommandRunner.Out.MarkupLine("resuming from {0} after epoch {1}", Markup.Escape(ckpt), completed);
            }

            var monitor = new TrainingMonitor(parts.Train, fraction > 0 ? parts.Test : null, stopping, PrintEpoch, CommandRunner.Cancellation);
            IRecommender trained = null!;
            CommandRunner.Out.Progress().AutoClear(true).Start(progress =>
            {
                var task = progress.AddTask(Markup.Escape(name));
                var sink = new Progress<TrainingProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape($"{name}: {p.Stage}" + (p.Loss is { } l ? $" loss {l:F4}" : string.Empty));
                });
                trained = ModelCatalog.Fit(name, parts.Train, monitor.Context(sink, resumeFrom, completed), settings);
            });

            var best = monitor.BestModel ?? trained;
            var target = parse.GetValue(output) ?? Path.Combine("models", $"{name}.model");
            if (best is not IPersistableModel persistable)
            {
                throw new InvalidOperationException($"Model '{name}' cannot be saved.");
            }

            ModelFile.Save(target, persistable, data.UserMap, data.ItemMap, new Dictionary<string, string>
            {
                ["model"] = name,
                ["bestEpoch"] = monitor.BestEpoch.ToString(CultureInfo.InvariantCulture),
                ["settings"] = settings.ToJsonString(),
            }, seen: data.ByUser);
            CommandRunner.Out.MarkupLine(CultureInfo.InvariantCulture, "{0}; wrote {1}{2}",
                monitor.WasCancelled ? "stopped by Ctrl+C after saving the checkpoint" : "done",
                Markup.Escape(target),
                monitor.History.Count > 0 ? $" (best epoch {monitor.BestEpoch}, {stopping.Metric} {monitor.BestValue:F4})" : string.Empty);
            return monitor.WasCancelled ? CommandRunner.Cancelled : 0;
        }));
        return command;
    }

    private static void Override<T>(JsonObject settings, string key, T? value, string model)
        where T : struct
    {
        if (value is not { } v)
        {
            return;
        }

        if (!ModelCatalog.OptionNames(model).Contains(key))
        {
            throw new ArgumentException($"Model '{model}' has no option '{key}'. Its options: {string.Join(", ", ModelCatalog.OptionNames(model))}.");
        }

        settings[key] = JsonValue.Create(v);
    }

    private static void PrintEpoch(EpochLog log) =>
        CommandRunner.Out.MarkupLine(CultureInfo.InvariantCulture, "epoch {0,3}/{1}  loss {2,10:F5}  {3}  {4,6:F1}s{5}",
            log.Epoch, log.TotalEpochs, log.Loss,
            log.Validation is { } v ? $"val {v:F4}" : "val -     ",
            log.Elapsed.TotalSeconds, log.IsBest ? "  [green]best[/]" : string.Empty);
}

/// <summary>The config file's "training" section.</summary>
internal sealed record TrainingSettings
{
    /// <summary>Share of each user's interactions held out for per-epoch validation. Default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    public EarlyStoppingOptions EarlyStopping { get; init; } = new();
}
