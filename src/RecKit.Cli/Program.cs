using RecKit.Cli;

return CommandRunner.Invoke(CliRoot.Create(), args);
