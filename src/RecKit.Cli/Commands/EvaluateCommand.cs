using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RecKit.Data;
using RecKit.Evaluation;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Training;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>`reckit evaluate DATA --models a,b --split ... --k 5,10`: trains each model on each split and evaluates it.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("data") { Description = "Interaction file, or a MovieLens directory." };
        var models = new Option<string>("--models") { Description = "Comma-separated model names.", DefaultValueFactory = _ => "popularity,bias" };
        var ks = new Option<string>("--k") { Description = "Comma-separated cut-offs for the @K metrics.", DefaultValueFactory = _ => "10" };
        var threshold = new Option<float?>("--threshold") { Description = "Test items rated at or above this are relevant (default 4.0 for rated data, every test item for implicit data)." };
        var allRelevant = new Option<bool>("--all-relevant") { Description = "Every test interaction is relevant, whatever its rating." };
        var sample = new Option<int?>("--sample-users") { Description = "Evaluate a seeded sample of this many users." }.AtLeast(1);
        var perUser = new Option<bool>("--per-user") { Description = "Include each user's figures in the JSON output." };
        var json = new Option<string?>("--json") { Description = "Write the figures to this JSON file." };
        var saved = new Option<string?>("--model") { Description = "Evaluate this saved model (from `reckit train`) on the data file, taken as held-out test interactions; the model's seen items are excluded." };
        var config = new Option<string?>("--config") { Description = $"JSON config file whose \"models\" section sets each model's options (default ./{ConfigFile.DefaultName} when present)." };
        var source = new DataSourceOptions();
        var split = new SplitOptions();
        var command = new Command("evaluate", "Train models on a split and evaluate them with the one protocol (full catalogue, seen items excluded).")
        {
            path, models, ks, threshold, allRelevant, sample, perUser, json, config, saved,
        };
        source.AddTo(command);
        split.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            if (parse.GetValue(saved) is { } modelPath)
            {
                return EvaluateSaved(parse, source, modelPath, parse.GetValue(path)!, ParseKs(parse.GetValue(ks)!), parse.GetValue(allRelevant), parse.GetValue(threshold), parse.GetValue(sample), parse.GetValue(split.Seed));
            }

            var names = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            _ = names.Select(PlainModels.Get).ToList(); // every name checked before any data is read
            var cutoffs = ParseKs(parse.GetValue(ks)!);
            var load = source.Load(parse, parse.GetValue(path)!);
            DataCommand.PrintLoad(load.Summary);
            var data = load.Interactions;
            var relevance = Relevance(parse.GetValue(allRelevant), parse.GetValue(threshold), data.Meaning);
            var options = new EvaluationOptions
            {
                Ks = cutoffs,
                RelevanceThreshold = relevance,
                SampleUsers = parse.GetValue(sample),
                Seed = parse.GetValue(split.Seed),
                KeepPerUser = parse.GetValue(perUser),
            };
            var splits = split.Apply(parse, data);
            var file = ConfigFile.Load(parse.GetValue(config));
            CommandRunner.Out.MarkupLine("{0}", Markup.Escape(file.Describe()));
            var rows = Run(names, splits, options, file);
            Print(rows, cutoffs, relevance, splits.Count);
            if (parse.GetValue(json) is { } jsonPath)
            {
                JsonOutput.Write(jsonPath, new
                {
                    data = load.Summary.Path,
                    split = parse.GetValue(split.Method),
                    testFraction = parse.GetValue(split.TestFraction),
                    folds = splits.Count,
                    seed = parse.GetValue(split.Seed),
                    relevanceThreshold = relevance,
                    results = rows,
                });
                CommandRunner.Out.MarkupLine("wrote {0}", Markup.Escape(jsonPath));
            }

            return 0;
        }));
        return command;
    }

    /// <summary>A trained model on held-out interactions: test rows of users or items the model never saw are counted and left out.</summary>
    private static int EvaluateSaved(ParseResult parse, DataSourceOptions source, string modelPath, string testPath, int[] cutoffs, bool allRelevant, float? threshold, int? sample, int seed)
    {
        var model = ModelFile.Load(modelPath);
        var seen = model.Seen ?? throw new ArgumentException($"{modelPath} holds no seen matrix, so its training items cannot be excluded; models written by `reckit train` and the main job have one.");
        var load = source.Load(parse, testPath, model.Users, model.Items);
        DataCommand.PrintLoad(load.Summary);
        var read = load.Interactions;
        var keep = new List<int>();
        for (var p = 0; p < read.Count; p++)
        {
            if (read.Users[p] < model.Users.Count && read.Items[p] < model.Items.Count)
            {
                keep.Add(p);
            }
        }

        var subset = read.Subset(keep.ToArray());
        var test = new Interactions(model.Users, model.Items, subset.Users.ToArray(), subset.Items.ToArray(), subset.Values.ToArray(), null, read.Meaning);
        var train = Interactions.FromMatrix(model.Users, model.Items, seen, read.Meaning);
        if (keep.Count < read.Count)
        {
            CommandRunner.Out.MarkupLine(CultureInfo.InvariantCulture, "{0:N0} test interactions of users or items the model never saw were left out", read.Count - keep.Count);
        }

        var relevance = Relevance(allRelevant, threshold, read.Meaning);
        var options = new EvaluationOptions { Ks = cutoffs, RelevanceThreshold = relevance, SampleUsers = sample, Seed = seed };
        var name = model.Metadata.GetValueOrDefault("model") ?? model.Model.GetType().Name;
        var result = Evaluator.Evaluate(model.Model, train, test, options);
        Print([ModelEvaluation.Average(name, [result], 0)], cutoffs, relevance, 1);
        return 0;
    }

    /// <summary>Every test item relevant with --all-relevant; else rated at or above --threshold (4.0 for rated data, none for implicit data).</summary>
    private static float? Relevance(bool allRelevant, float? threshold, ValueMeaning meaning) =>
        allRelevant ? null : threshold ?? RecKit.Data.Relevance.Threshold(meaning, 4f);

    internal static int[] ParseKs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ks = new int[parts.Length];
        for (var j = 0; j < parts.Length; j++)
        {
            if (!int.TryParse(parts[j], NumberStyles.Integer, CultureInfo.InvariantCulture, out ks[j]) || ks[j] < 1)
            {
                throw new ArgumentException($"--k: '{parts[j]}' is not a whole number ≥ 1.");
            }
        }

        return ks.Length > 0 ? ks : throw new ArgumentException("--k needs at least one cut-off.");
    }

    private static List<ModelEvaluation> Run(string[] names, IReadOnlyList<RecKit.Data.Splits.Split> splits, EvaluationOptions options, ConfigFile config)
    {
        var rows = new List<ModelEvaluation>();
        CommandRunner.Live(autoClear: false, progress =>
        {
            foreach (var name in names)
            {
                var task = progress?.AddTask(Markup.Escape(name), maxValue: splits.Count * 2);
                rows.Add(CrossValidation.Run(ModelSpec.Read(name, config.Section("models", name)), splits, options, () => task?.Increment(1), CommandRunner.Cancellation));
            }
        });
        return rows;
    }

    private static void Print(List<ModelEvaluation> rows, int[] ks, float? relevance, int folds)
    {
        // Metrics as rows, models as columns: the table stays narrow however many metrics there are.
        var metricNames = rows.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        var table = new Table().AddColumn("metric");
        foreach (var row in rows)
        {
            table.AddColumn(new TableColumn(Markup.Escape(row.Model)).RightAligned());
        }

        foreach (var name in metricNames)
        {
            var cells = new List<string> { name };
            cells.AddRange(rows.Select(r => r.Metrics.TryGetValue(name, out var v) && !double.IsNaN(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-"));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        table.AddRow(rows.Select(r => r.FitSeconds.ToString("F2", CultureInfo.InvariantCulture)).Prepend("fit seconds").ToArray());
        CommandRunner.Out.Write(table);
        var first = rows.FirstOrDefault();
        if (first is not null)
        {
            CommandRunner.Out.MarkupLine(CultureInfo.InvariantCulture,
                "{0} fold(s); users evaluated {1:N0}; users without a relevant test item (left out) {2:N0}; cold-start users {3:N0}; relevant = {4}; K = {5}",
                folds, first.UsersEvaluated, first.UsersWithoutRelevant, first.ColdStartUsers,
                relevance is { } t ? $"rating ≥ {t}" : "every test item", string.Join(",", ks));
        }
    }
}
