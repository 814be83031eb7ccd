using System.Globalization;

namespace RecKit.Server.Dashboard;

/// <summary>Numbers and times as the dashboard writes them: invariant culture, thousands separated, UTC.</summary>
public static class Fmt
{
    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string D(double value, int decimals = 4) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Percent(double share, int decimals = 1) => (share * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A path segment for a link to a user or an item: escaped, so any id makes a working link.</summary>
    public static string Segment(string id) => Uri.EscapeDataString(id);

    /// <summary>The first twelve characters of a fingerprint.</summary>
    public static string Abbreviated(string text) => text.Length <= 12 ? text : text[..12];
}
