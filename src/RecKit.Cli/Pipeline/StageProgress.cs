using System.Diagnostics;
using RecKit.Models;
using Spectre.Console;

namespace RecKit.Cli.Pipeline;

/// <summary>
/// The main job's progress on the console. Each line it reports starts a step; the fractions of a step (epochs, users
/// evaluated, candidates built) move it on. On a terminal every step is a Spectre progress bar with its time left;
/// when the output is redirected, each step is a timestamped line, and a step that runs long adds a line with how far it
/// is and the time left, at most every <see cref="LineEvery"/>. Reports may come from any thread.
/// </summary>
internal sealed class StageProgress(IAnsiConsole console, ProgressContext? live, TimeSpan? lineEvery = null) : IProgress<string>, IProgress<TrainingProgress>
{
    /// <summary>How often a long step adds a line when the output is redirected (default 15 s).</summary>
    public TimeSpan LineEvery { get; } = lineEvery ?? TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly Stopwatch _step = new();
    private ProgressTask? _task;
    private string _line = string.Empty;
    private TimeSpan _lastLine;

    public void Report(string value)
    {
        lock (_gate)
        {
            if (_task is { } done)
            {
                done.Value = done.MaxValue;
                done.StopTask();
            }

            _line = value;
            _step.Restart();
            _lastLine = TimeSpan.Zero;
            if (live is null)
            {
                console.MarkupLine("[grey]{0:HH:mm:ss}[/] {1}", DateTime.Now, Markup.Escape(value));
            }
            else
            {
                _task = live.AddTask(Markup.Escape(value), autoStart: true, maxValue: 1);
                _task.IsIndeterminate = true;
            }
        }
    }

    public void Report(TrainingProgress value)
    {
        if (value.Total <= 0)
        {
            return;
        }

        lock (_gate)
        {
            var fraction = Math.Clamp((double)value.Done / value.Total, 0, 1);
            if (_task is { } task)
            {
                task.IsIndeterminate = false;
                task.MaxValue = value.Total;
                task.Value = value.Done;
                task.Description = Markup.Escape($"{_line} · {value.Stage}");
                return;
            }

            var elapsed = _step.Elapsed;
            if (live is null && elapsed - _lastLine >= LineEvery && fraction > 0 && fraction < 1)
            {
                _lastLine = elapsed;
                var left = TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction);
                console.MarkupLine("[grey]{0:HH:mm:ss}[/]   {1}", DateTime.Now, Markup.Escape(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value.Stage}: {fraction * 100:F0}%, about {Left(left)} left")));
            }
        }
    }

    /// <summary>Completes the last step's bar.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_task is { } done)
            {
                done.Value = done.MaxValue;
                done.StopTask();
            }
        }
    }

    private static string Left(TimeSpan left) => left.TotalMinutes >= 1 ? $"{(int)left.TotalMinutes} min {left.Seconds} s" : $"{Math.Max(1, (int)Math.Round(left.TotalSeconds))} s";
}
