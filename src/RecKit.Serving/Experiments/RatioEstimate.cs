namespace RecKit.Serving;

/// <summary>
/// A ratio of sums over independent units (CTR = Σ clicks / Σ impressions over users) with its variance by the delta
/// method: Var(R) ≈ Var(y − R·x) / (N · x̄²), the sample variance taken over units. With one impression per user it is
/// the binomial p(1 − p)/n; with many it widens by how much users differ, as a cluster-robust variance should.
/// </summary>
public sealed record RatioEstimate(int Units, double Numerator, double Denominator, double Ratio, double Variance)
{
    /// <summary>The estimate from per-unit (numerator, denominator) sums, e.g. (clicks, impressions) per user.</summary>
    public static RatioEstimate Of(IReadOnlyList<(double Numerator, double Denominator)> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        double y = 0, x = 0;
        foreach (var (n, d) in units)
        {
            y += n;
            x += d;
        }

        var count = units.Count;
        if (count == 0 || x == 0)
        {
            return new RatioEstimate(count, y, x, 0, count == 0 ? double.PositiveInfinity : 0);
        }

        var ratio = y / x;
        var meanX = x / count;
        double squares = 0;
        foreach (var (n, d) in units)
        {
            var residual = n - (ratio * d); // its mean is 0 by construction
            squares += residual * residual;
        }

        var variance = count < 2 ? double.PositiveInfinity : squares / (count - 1) / (count * meanX * meanX);
        return new RatioEstimate(count, y, x, ratio, variance);
    }
}
