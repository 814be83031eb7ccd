using System.Globalization;

namespace RecKit.Evaluation;

/// <summary>A difference of metrics as reports print it: signed, four places.</summary>
public static class SignedFigure
{
    /// <summary>"+0.0261", "-0.0010"; a figure that rounds to zero is "0.0000" (the format "+0.0000;-0.0000" alone prints "-+0.0000" for a small negative).</summary>
    public static string Of(double value) =>
        Math.Round(value, 4) is var rounded && rounded == 0 ? "0.0000" : rounded.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture);
}
