using System.Globalization;
using System.Text.RegularExpressions;

namespace RecKit.Reports;

/// <summary>
/// The main job's cost curve as a figure: one stacked bar per data size, a segment per stage (seconds), the peak memory
/// under each bar. Reads the lines `bench/cost-curve.sh` prints ("N interactions: stages: load 3.1 s, ...; wall 8:22.03,
/// peak 4182 MB"); other lines are ignored.
/// </summary>
public static partial class CostCurveFigure
{
    /// <summary>One size: interactions, each stage's seconds in order, the peak resident memory.</summary>
    public sealed record Point(long Interactions, IReadOnlyList<(string Stage, double Seconds)> Stages, double PeakMegabytes);

    public static IReadOnlyList<Point> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var points = new List<Point>();
        foreach (var line in lines)
        {
            var match = CurveLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var stages = match.Groups["stages"].Value.Split(", ")
                .Select(part => StagePart().Match(part))
                .Select(m => m.Success ? (m.Groups["name"].Value, double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture))
                    : throw new FormatException($"A stage that is not 'NAME SECONDS s' in: {line}"))
                .ToList();
            points.Add(new Point(long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture), stages, double.Parse(match.Groups["peak"].Value, CultureInfo.InvariantCulture)));
        }

        return points;
    }

    /// <summary>Writes the figure (PNG, atomically), sizes ascending; the stages are those of the smallest, in its order.</summary>
    public static void Write(string path, IReadOnlyList<Point> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("No cost-curve lines to draw.", nameof(points));
        }

        points = [.. points.OrderBy(p => p.Interactions)];
        var stages = points[0].Stages.Select(s => s.Stage).ToList();
        var values = new double[points.Count, stages.Count];
        for (var p = 0; p < points.Count; p++)
        {
            for (var s = 0; s < stages.Count; s++)
            {
                values[p, s] = points[p].Stages.FirstOrDefault(x => x.Stage == stages[s]).Seconds;
            }
        }

        var groups = points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Interactions / 1e6:0.##}M ({p.PeakMegabytes / 1024:0.0} GB)")).ToList();
        Charts.StackedBars(path, "Main job: seconds per stage by interactions (peak memory)", "seconds", groups, stages, values);
    }

    [GeneratedRegex(@"^(?<n>\d+) interactions: stages: (?<stages>.+?); wall [^,]+, peak (?<peak>\d+) MB")]
    private static partial Regex CurveLine();

    [GeneratedRegex(@"^(?<name>.+) (?<seconds>[0-9.]+) s$")]
    private static partial Regex StagePart();
}
