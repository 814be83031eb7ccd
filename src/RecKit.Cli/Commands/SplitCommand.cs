using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>`reckit split DATA --out DIR`: performs a split and reports its parts and cold-start cases.</summary>
internal static class SplitCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("data") { Description = "Interaction file, or a MovieLens directory." };
        var source = new DataSourceOptions();
        var split = new SplitOptions();
        var output = new Option<string?>("--out") { Description = "Write the parts as CSV files (train.csv, test.csv, or one pair per fold) into this directory." };
        var command = new Command("split", "Split interactions into train and test parts, seeded and deterministic.") { path, output };
        source.AddTo(command);
        split.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var load = source.Load(parse, parse.GetValue(path)!);
            DataCommand.PrintLoad(load.Summary);
            var parts = split.Apply(parse, load.Interactions);
            var table = new Table().AddColumn("part").AddColumn("train").AddColumn("test").AddColumn("cold-start users").AddColumn("cold-start items");
            for (var f = 0; f < parts.Count; f++)
            {
                var p = parts[f];
                table.AddRow(
                    (f + 1).ToString(CultureInfo.InvariantCulture),
                    p.Train.Count.ToString("N0", CultureInfo.InvariantCulture),
                    p.Test.Count.ToString("N0", CultureInfo.InvariantCulture),
                    p.ColdStartUsers.ToString("N0", CultureInfo.InvariantCulture),
                    p.ColdStartItems.ToString("N0", CultureInfo.InvariantCulture));
            }

            CommandRunner.Out.Write(table);
            if (parse.GetValue(output) is { } directory)
            {
                foreach (var file in RecKit.Data.Splits.SplitWriter.WriteAll(directory, parts))
                {
                    CommandRunner.Out.MarkupLine("wrote {0}", Markup.Escape(file));
                }
            }

            return 0;
        }));
        return command;
    }
}
