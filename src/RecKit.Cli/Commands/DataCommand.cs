using System.CommandLine;
using System.Globalization;
using RecKit.Data;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>
/// `reckit data stats PATH`: what a data set holds before anything is trained on it; `reckit data synth --out FILE`:
/// a seeded, generated interactions file of any size (MovieLens-20M's shape by default), to try RecKit at scale.
/// </summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "Interaction file, or a MovieLens directory." };
        var json = new Option<string?>("--json") { Description = "Also write the statistics to this JSON file." };
        var cold = new Option<int>("--cold-threshold") { Description = "Users/items with fewer interactions count as cold.", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var source = new DataSourceOptions();
        var stats = new Command("stats", "Counts, sparsity, activity, rating histogram and cold-start counts.") { path, json, cold };
        source.AddTo(stats);
        stats.SetAction(parse => CommandRunner.Run(() =>
        {
            var load = source.Load(parse, parse.GetValue(path)!);
            var statistics = DataStatistics.Compute(load.Interactions, parse.GetValue(cold));
            Print(load.Summary, statistics);
            if (parse.GetValue(json) is { } jsonPath)
            {
                JsonOutput.Write(jsonPath, new { load = load.Summary, statistics });
            }

            return 0;
        }));
        return new Command("data", "Inspect interaction data, or generate some.") { stats, Synth() };
    }

    private static Command Synth()
    {
        var output = new Option<string>("--out") { Description = "The CSV file to write (user_id,item_id).", Required = true };
        var users = new Option<int>("--users") { Description = "Users.", DefaultValueFactory = _ => 138_000 }.AtLeast(1);
        var items = new Option<int>("--items") { Description = "Items.", DefaultValueFactory = _ => 27_000 }.AtLeast(1);
        var draws = new Option<int>("--draws") { Description = "(user, item) draws before duplicates merge (20,000,000 give about 15.9 million pairs at the default shape).", DefaultValueFactory = _ => 20_000_000 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed: the same arguments give the same file.", DefaultValueFactory = _ => 1 };
        var tastes = new Option<int>("--tastes") { Description = "Taste groups: 0 (default) makes popularity the only signal; N > 0 gives users and items one of N groups and draws a share --affinity of each user's items from their own group, a signal collaborative models can learn.", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var affinity = new Option<double>("--affinity") { Description = "With --tastes: the share of each user's draws taken from their own group, in [0, 1].", DefaultValueFactory = _ => 0.5 };
        var synth = new Command("synth", "Writes generated interactions: item popularity ∝ 1/rank^0.9, user activity ∝ 1/rank^0.6 (MovieLens-20M's shape by default), binary, seeded.") { output, users, items, draws, seed, tastes, affinity };
        synth.Validators.Add(result =>
        {
            if (result.GetValue(affinity) is var share && !(share is >= 0 and <= 1))
            {
                result.AddError(FormattableString.Invariant($"--affinity must lie in [0, 1]; got {share}."));
            }
        });
        synth.SetAction(parse => CommandRunner.Run(() =>
        {
            var path = parse.GetValue(output)!;
            if (parse.GetValue(tastes) > parse.GetValue(items))
            {
                throw new ArgumentException(FormattableString.Invariant($"--tastes ({parse.GetValue(tastes)}) must not exceed --items ({parse.GetValue(items)}): every group needs an item."));
            }

            RecKit.IO.AtomicFile.CheckWritable(path);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var data = PowerLawInteractions.Generate(parse.GetValue(users), parse.GetValue(items), parse.GetValue(draws), parse.GetValue(seed), parse.GetValue(tastes), parse.GetValue(affinity));
            PowerLawInteractions.WriteCsv(data, path);
            CommandRunner.Out.MarkupLine(CultureInfo.InvariantCulture, "wrote {0:N0} interactions of {1:N0} users and {2:N0} items to {3} in {4:F1} s; run the main job on it with \"data\": {{ \"format\": \"Delimited\", \"path\": \"{3}\", \"user\": \"user_id\", \"item\": \"item_id\", \"values\": \"None\" }}",
                data.Count, data.UserCount, data.ItemCount, Markup.Escape(path), clock.Elapsed.TotalSeconds);
            return 0;
        }));
        return synth;
    }

    internal static void PrintLoad(LoadSummary summary)
    {
        var console = CommandRunner.Out;
        console.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0}[/]: {1:N0} rows read, {2:N0} interactions kept, {3:N0} duplicates merged ({4}), {5:N0} bad lines skipped, {6:N0} rows/s",
            Markup.Escape(summary.Path), summary.RowsRead, summary.Interactions, summary.DuplicatesMerged, summary.DuplicatePolicy, summary.BadLinesSkipped, summary.RowsPerSecond);
        foreach (var example in summary.BadLineExamples)
        {
            console.MarkupLine("  skipped: {0}", Markup.Escape(example));
        }
    }

    private static void Print(LoadSummary summary, DataStatistics s)
    {
        PrintLoad(summary);
        var table = new Table().AddColumn("statistic").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, string value) => table.AddRow(name, value);
        Row("users", s.Users.ToString("N0", CultureInfo.InvariantCulture));
        Row("items", s.Items.ToString("N0", CultureInfo.InvariantCulture));
        Row("interactions", s.Interactions.ToString("N0", CultureInfo.InvariantCulture));
        Row("sparsity", s.Sparsity.ToString("P3", CultureInfo.InvariantCulture));
        Row("per user: mean / median / max", string.Create(CultureInfo.InvariantCulture, $"{s.MeanPerUser:F1} / {s.MedianPerUser:0.#} / {s.MaxPerUser}"));
        Row("per item: mean / median / max", string.Create(CultureInfo.InvariantCulture, $"{s.MeanPerItem:F1} / {s.MedianPerItem:0.#} / {s.MaxPerItem}"));
        Row($"users with < {s.ColdThreshold} interactions", s.ColdUsers.ToString("N0", CultureInfo.InvariantCulture));
        Row($"items with < {s.ColdThreshold} interactions", s.ColdItems.ToString("N0", CultureInfo.InvariantCulture));
        Row("items with 1 interaction", s.SingletonItems.ToString("N0", CultureInfo.InvariantCulture));
        Row("share on top 20% items", s.ShareOfTop20PercentItems.ToString("P1", CultureInfo.InvariantCulture));
        if (s.HasRatings)
        {
            Row("mean rating", s.MeanRating.ToString("F3", CultureInfo.InvariantCulture));
            if (s.RatingHistogram.Count > 0)
            {
                Row("rating scale (observed)", ObservedScale(s.RatingHistogram));
            }
        }

        if (s.FirstTimestamp is { } first && s.LastTimestamp is { } last)
        {
            Row("time span", $"{first:yyyy-MM-dd} .. {last:yyyy-MM-dd}");
        }

        CommandRunner.Out.Write(table);
        if (s.RatingHistogram.Count is > 0 and <= 40)
        {
            // Bar lengths proportional to the counts (a bar of 50 cells for the largest), with the count beside each.
            CommandRunner.Out.WriteLine("ratings");
            var largest = s.RatingHistogram.Max(p => p.Value);
            foreach (var (value, count) in s.RatingHistogram)
            {
                var cells = (int)Math.Round(50.0 * count / largest);
                CommandRunner.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value,6:0.0#} {count,10:N0} {new string('█', cells)}"));
            }
        }
    }

    /// <summary>"0.5..5 in steps of 0.5": the range of the ratings seen and, when regular, the step between them.</summary>
    internal static string ObservedScale(IReadOnlyList<KeyValuePair<float, int>> histogram)
    {
        var values = histogram.Select(p => p.Key).Order().ToArray();
        var range = string.Create(CultureInfo.InvariantCulture, $"{values[0]:G}..{values[^1]:G}");
        if (values.Length < 2)
        {
            return range;
        }

        var step = values[1] - values[0];
        var regular = values.Zip(values.Skip(1)).All(p => Math.Abs(p.Second - p.First - step) < 1e-4);
        return regular ? string.Create(CultureInfo.InvariantCulture, $"{range} in steps of {step:G}, {values.Length} values") : $"{range}, {values.Length} distinct values";
    }
}
