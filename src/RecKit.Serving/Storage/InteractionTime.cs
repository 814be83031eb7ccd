using System.Globalization;

namespace RecKit.Serving;

/// <summary>
/// When an interaction happened: Unix time in milliseconds, between 1995-01-01 and one day after the server's clock.
/// The lower bound catches seconds sent as milliseconds (1,700,000,000 s is January 1970 in ms); the upper one, values
/// from the far future; both a retrain could not turn into a date.
/// </summary>
public static class InteractionTime
{
    /// <summary>1995-01-01T00:00:00Z in Unix milliseconds.</summary>
    public const long Earliest = 788_918_400_000;

    /// <summary>The latest accepted now: one day of clock skew ahead of <paramref name="nowMs"/>.</summary>
    public static long Latest(long nowMs) => nowMs + 86_400_000;

    public static bool IsValid(long timestampMs, long nowMs) => timestampMs >= Earliest && timestampMs <= Latest(nowMs);

    /// <summary>The window in words, for an error: "Unix milliseconds from 788918400000 (1995-01-01) to ... (a day from now)".</summary>
    public static string Window(long nowMs) => string.Create(
        CultureInfo.InvariantCulture,
        $"Unix time in milliseconds from {Earliest} (1995-01-01) to {Latest(nowMs)} (a day after the server's clock)");
}
