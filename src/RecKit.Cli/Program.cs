using System.CommandLine;
using RecKit.Cli;
using RecKit.Cli.Commands;

var root = new RootCommand("RecKit: train, evaluate and serve recommenders from interaction logs.")
{
    DataCommand.Create(),
    SplitCommand.Create(),
    EvaluateCommand.Create(),
};

return CommandRunner.Invoke(root, args);
