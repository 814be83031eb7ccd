using System.Diagnostics;
using System.Globalization;

namespace RecKit.Pipeline;

/// <summary>Where a main-job run spent its time: each stage's wall time, in order, from one clock.</summary>
public sealed class StageTimes
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Stage, TimeSpan Time)> _stages = [];
    private TimeSpan _last;

    /// <summary>The stages ended so far, in order.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Time)> Stages => _stages;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Ends <paramref name="stage"/>: the time since the previous stage ended (or since the start).</summary>
    public void End(string stage)
    {
        var now = _clock.Elapsed;
        _stages.Add((stage, now - _last));
        _last = now;
    }

    /// <summary>One line: "stages: load 1.2 s, eda 3.4 s, ...".</summary>
    public string Describe() =>
        "stages: " + string.Join(", ", _stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.Time.TotalSeconds:F1} s")));
}
