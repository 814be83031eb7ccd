using System.CommandLine;
using RecKit.Data;
using RecKit.Reports;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>`reckit eda PATH [--out figures]`: design note 4's exploratory data analysis as PNG figures and a summary.</summary>
internal static class EdaCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("data") { Description = "Interaction file, or a MovieLens directory (its genres are charted too)." };
        var output = new Option<string>("--out") { Description = "Folder for the figures and summary.md.", DefaultValueFactory = _ => "figures" };
        var source = new DataSourceOptions();
        var command = new Command("eda", "Exploratory data analysis: interactions per user and per item, ratings, long tail, genres.") { path, output };
        source.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var location = parse.GetValue(path)!;
            var load = source.Load(parse, location);
            DataCommand.PrintLoad(load.Summary);
            var catalog = Directory.Exists(location) ? MovieLens.LoadItemMetadata(location, load.Interactions.ItemMap) : null;
            foreach (var file in EdaFigures.Write(load.Interactions, parse.GetValue(output)!, catalog?.Genres.ColumnCounts()))
            {
                CommandRunner.Out.MarkupLine("wrote {0}", Markup.Escape(file));
            }

            CommandRunner.Out.Write(new Text(File.ReadAllText(Path.Combine(parse.GetValue(output)!, "summary.md"))));
            return 0;
        }));
        return command;
    }
}
