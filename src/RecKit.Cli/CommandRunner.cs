using System.CommandLine;
using RecKit.Data;
using RecKit.Persistence;
using Spectre.Console;

using RecKit.Models;

namespace RecKit.Cli;

/// <summary>Runs the parsed command and turns expected failures into one clear line on stderr, never a stack trace.</summary>
internal static class CommandRunner
{
    public const int UsageError = 2;
    public const int Cancelled = 130;

    public static int Invoke(RootCommand root, string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C asks the running step to stop cleanly (after saving); a second one kills.
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
                Console.Error.WriteLine("Stopping after the current step (Ctrl+C again to abort)...");
            }
        };
        Cancellation = cancellation.Token;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            Out.Profile.Width = 140; // logs and CI: wide tables stay on one line
        }
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line per problem and the usage error code, as for every other bad input (help stays behind --help).
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine($"(see: {string.Join(' ', parse.CommandResult.Command.Name == root.Name ? "reckit" : "reckit " + parse.CommandResult.Command.Name)} --help)");
            return UsageError;
        }

        _command = parse.CommandResult.Command.Name;
        return parse.Invoke();
    }

    private static string _command = string.Empty;

    /// <summary>Token cancelled by Ctrl+C.</summary>
    public static CancellationToken Cancellation { get; private set; }

    /// <summary>Wraps a command body: known failures become "error: ..." and a non-zero exit code.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled.");
            return Cancelled;
        }
        catch (Exception ex) when (ex is DataFormatException or ModelFormatException or RecKit.Models.TrainingDivergedException or ArgumentException or KeyNotFoundException or InvalidOperationException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"error: {FlagNames.Annotate(ex.Message, _command)}");
            return UsageError;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a live progress display on a terminal, and with none (null) when the output is
    /// redirected: a log or a pipe would otherwise receive every redraw of the bars as more partial lines.
    /// </summary>
    public static void Live(bool autoClear, Action<ProgressContext?> body)
    {
        if (Console.IsOutputRedirected)
        {
            body(null);
            return;
        }

        Out.Progress()
            .AutoClear(autoClear)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new RemainingTimeColumn())
            .Start(context => body(context));
    }

    /// <summary>Console for tables and progress (on the current Console.Out); plain when output is redirected.</summary>
    public static IAnsiConsole Out { get; private set; } = AnsiConsole.Console;
}
