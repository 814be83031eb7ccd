using System.CommandLine;
using RecKit.Cli.Pipeline;
using RecKit.Pipeline;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>`reckit run [--config reckit.json]`: the main job, end to end, from one config file.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"Config file (default ./{ConfigFile.DefaultName} when present, else built-in defaults)." };
        var data = new Option<string?>("--data") { Description = "Overrides data.path: a MovieLens directory (ratings.csv, u.data or ratings.dat)." };
        var output = new Option<string?>("--out") { Description = "Puts every output of the run under this folder: the report here, figures and recommendations.json inside it." };
        var command = new Command("run", "The main job: EDA, base models and stacks on a three-way split, report, production model, recommendations.json.") { config, data, output };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var file = ConfigFile.Load(parse.GetValue(config));
            var settings = file.ReadRoot<MainJobSettings>();
            if (parse.GetValue(data) is { } path)
            {
                settings = settings with { Data = settings.Data with { Path = path } };
            }

            if (parse.GetValue(output) is { } folder)
            {
                settings = settings.WithOutputUnder(folder);
            }

            CommandRunner.Out.MarkupLine("{0}", Markup.Escape(file.Describe()));
            settings.Validate();

            return ReportTable.RunMainJob(settings);
        }));
        return command;
    }
}
