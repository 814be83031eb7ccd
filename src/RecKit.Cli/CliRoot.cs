using System.CommandLine;
using RecKit.Cli.Commands;

namespace RecKit.Cli;

/// <summary>The `reckit` command tree: one file per command under Commands/.</summary>
internal static class CliRoot
{
    public static RootCommand Create() => new("RecKit: train, evaluate and serve recommenders from interaction logs.")
    {
        DataCommand.Create(),
        EdaCommand.Create(),
        SplitCommand.Create(),
        EvaluateCommand.Create(),
        TrainCommand.Create(),
        RecommendCommand.Create(),
        SimilarItemsCommand.Create(),
        RunCommand.Create(),
        ServeCommand.Create(),
        AbCommand.Create(),
        RetrainCommand.Create(),
        TuneCommand.Create(),
    };
}
