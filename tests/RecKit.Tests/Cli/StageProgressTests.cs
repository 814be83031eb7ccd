using RecKit.Cli.Pipeline;
using RecKit.Models;
using Spectre.Console;

namespace RecKit.Tests.Cli;

/// <summary>The main job's progress when the output is redirected: a timestamped line per step, and for a long step how far it is and the time left.</summary>
public class StageProgressTests
{
    [Fact]
    public void Redirected_AStepIsALine_AndALongStepSaysHowFarItIsAndTheTimeLeft()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        var progress = new StageProgress(console, live: null, lineEvery: TimeSpan.Zero);
        progress.Report("evaluating als");
        Thread.Sleep(50);
        progress.Report(new TrainingProgress("users evaluated", 250, 1000, null));
        progress.Report(new TrainingProgress("users evaluated", 1000, 1000, null)); // done: no line
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\d\d:\d\d:\d\d evaluating als", lines[0]);
        Assert.Matches(@"^\d\d:\d\d:\d\d   users evaluated: 25%, about \d+ s left", lines[1]); // 50 ms for a quarter: about 150 ms left, shown as 1 s
    }

    [Fact]
    public void Redirected_AShortStepAddsNoLine()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        var progress = new StageProgress(console, live: null); // a line at most every 15 s
        progress.Report("fitting als");
        progress.Report(new TrainingProgress("iteration 1/15", 1, 15, 0.5));
        Assert.Single(text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
