using RecKit.Reports;

namespace RecKit.Tests.Reports;

public sealed class CostCurveFigureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-cost-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Lines =
    [
        "15221423 interactions: stages: load 3.1 s, eda 0.4 s, base models and stacks 339.9 s, report 0.2 s, bundle 114.0 s, recommendations 43.8 s; wall 8:22.03, peak 4182 MB",
        "  itemknn (base_train) NDCG@10 0.2745",
        "128364 interactions: stages: load 0.3 s, eda 0.3 s, base models and stacks 87.7 s, report 0.2 s, bundle 10.7 s, recommendations 8.1 s; wall 1:48.00, peak 1020 MB",
    ];

    [Fact]
    public void Parse_ReadsTheScriptsSizeLines_AndSkipsTheOthers()
    {
        var points = CostCurveFigure.Parse(Lines);
        Assert.Equal([15_221_423L, 128_364L], points.Select(p => p.Interactions));
        Assert.Equal(["load", "eda", "base models and stacks", "report", "bundle", "recommendations"], points[0].Stages.Select(s => s.Stage));
        Assert.Equal(339.9, points[0].Stages[2].Seconds);
        Assert.Equal(1020, points[1].PeakMegabytes);
    }

    [Fact]
    public void Parse_RefusesAStageItCannotRead()
    {
        var error = Assert.Throws<FormatException>(() => CostCurveFigure.Parse(["10 interactions: stages: load 1.0 s, eda fast; wall 0:01.00, peak 10 MB"]));
        Assert.Contains("eda fast", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_DrawsAPng_AndRefusesNothingToDraw()
    {
        var path = Path.Combine(_dir, "curve.png");
        CostCurveFigure.Write(path, CostCurveFigure.Parse(Lines));
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5_000, $"{bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Throws<ArgumentException>(() => CostCurveFigure.Write(Path.Combine(_dir, "none.png"), []));
    }
}
