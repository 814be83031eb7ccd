using RecKit.Persistence;
using ScottPlot;

using RecKit.IO;

namespace RecKit.Reports;

/// <summary>The few chart shapes RecKit draws, saved as PNG atomically.</summary>
internal static class Charts
{
    public const int Width = 900;
    public const int Height = 520;

    /// <summary>Vertical bars with text labels under them.</summary>
    public static void Bars(string path, string title, string yLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values, bool rotateLabels = false)
    {
        var plot = new Plot();
        var bars = values.Select((v, i) => new Bar { Position = i, Value = v, FillColor = Colors.SteelBlue }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        if (rotateLabels)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 110; // room for the slanted labels
        }

        Finish(plot, path, title, null, yLabel, bottomMargin: 0);
    }

    /// <summary>Bars per group (metric) and series (model), with a legend.</summary>
    public static void GroupedBars(string path, string title, IReadOnlyList<string> groups, IReadOnlyList<string> series, double[,] values)
    {
        var plot = new Plot();
        // Twenty distinct colours: the report has a dozen series, and Category10 gave two models the same colour.
        var palette = new ScottPlot.Palettes.Category20();
        if (series.Count > palette.Colors.Length)
        {
            throw new ArgumentException($"{series.Count} series are more than the {palette.Colors.Length} distinct colours of the palette.");
        }

        var width = 0.8 / series.Count;
        var bars = new List<Bar>();
        for (var g = 0; g < groups.Count; g++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                bars.Add(new Bar { Position = g - 0.4 + (width * (s + 0.5)), Value = values[g, s], Size = width * 0.95, FillColor = palette.GetColor(s) });
            }
        }

        plot.Add.Bars(bars);
        for (var s = 0; s < series.Count; s++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s], FillColor = palette.GetColor(s) });
        }

        plot.ShowLegend(Edge.Right); // beside the plot, never over the bars
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, groups.Count).Select(i => (double)i).ToArray(), groups.ToArray());
        Finish(plot, path, title, null, "value", bottomMargin: 0);
    }

    /// <summary>One bar per group made of its series stacked bottom to top, with a legend.</summary>
    public static void StackedBars(string path, string title, string yLabel, IReadOnlyList<string> groups, IReadOnlyList<string> series, double[,] values)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (var g = 0; g < groups.Count; g++)
        {
            double bottom = 0;
            for (var s = 0; s < series.Count; s++)
            {
                bars.Add(new Bar { Position = g, ValueBase = bottom, Value = bottom + values[g, s], Size = 0.6, FillColor = palette.GetColor(s) });
                bottom += values[g, s];
            }
        }

        plot.Add.Bars(bars);
        for (var s = 0; s < series.Count; s++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s], FillColor = palette.GetColor(s) });
        }

        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, groups.Count).Select(i => (double)i).ToArray(), groups.ToArray());
        Finish(plot, path, title, null, yLabel, bottomMargin: 0);
    }

    /// <summary>A line through (x, y) points.</summary>
    public static void Line(string path, string title, string xLabel, string yLabel, double[] xs, double[] ys)
    {
        var plot = new Plot();
        var line = plot.Add.ScatterLine(xs, ys);
        line.LineWidth = 2;
        line.Color = Colors.SteelBlue;
        Finish(plot, path, title, xLabel, yLabel, bottomMargin: null);
    }

    /// <summary>Points (x, y) per series, markers only, a legend on the right.</summary>
    public static void Points(string path, string title, string xLabel, string yLabel, IReadOnlyList<(string Name, double[] Xs, double[] Ys)> series)
    {
        var plot = new Plot();
        foreach (var (name, xs, ys) in series)
        {
            var points = plot.Add.ScatterPoints(xs, ys);
            points.LegendText = name;
            points.MarkerSize = 7;
        }

        plot.ShowLegend(Edge.Right);
        Finish(plot, path, title, xLabel, yLabel, bottomMargin: null);
    }

    private static void Finish(Plot plot, string path, string title, string? xLabel, string yLabel, double? bottomMargin)
    {
        plot.Title(title);
        if (xLabel is not null)
        {
            plot.XLabel(xLabel);
        }

        plot.YLabel(yLabel);
        if (bottomMargin is { } margin)
        {
            plot.Axes.Margins(bottom: margin);
        }

        var bytes = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
