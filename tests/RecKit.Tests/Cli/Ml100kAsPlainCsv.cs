using System.Globalization;
using System.Text;

namespace RecKit.Tests.Cli;

/// <summary>
/// Turns MovieLens 100K (u.data, u.user, u.item: tab- and pipe-separated, Latin-1, no headers) into the plain files any
/// catalogue would have: ratings.csv, users.csv (age band, gender, occupation) and items.csv (title, genres as
/// "Action|Comedy"), so that the generic data path can be compared with the MovieLens preset on the same data.
/// </summary>
internal static class Ml100kAsPlainCsv
{
    public static void Write(string source, string folder)
    {
        Directory.CreateDirectory(folder);
        var ratings = new StringBuilder("user,item,rating,timestamp\n");
        foreach (var line in File.ReadLines(Path.Combine(source, "u.data")))
        {
            ratings.Append(line.Replace('\t', ',')).Append('\n');
        }

        var users = new StringBuilder("user_id,age_band,gender,occupation\n");
        foreach (var line in File.ReadLines(Path.Combine(source, "u.user"), Encoding.Latin1))
        {
            var f = line.Split('|');
            var age = int.Parse(f[1], CultureInfo.InvariantCulture);
            var band = age switch { < 18 => "<18", < 25 => "18-24", < 35 => "25-34", < 45 => "35-44", < 50 => "45-49", < 56 => "50-55", _ => "56+" };
            users.Append(CultureInfo.InvariantCulture, $"{f[0]},{band},{f[2]},{f[3]}\n");
        }

        var genres = File.ReadLines(Path.Combine(source, "u.genre")).Where(l => l.Contains('|', StringComparison.Ordinal)).Select(l => l.Split('|')[0]).ToArray();
        var items = new StringBuilder("item_id,title,genres\n");
        foreach (var line in File.ReadLines(Path.Combine(source, "u.item"), Encoding.Latin1))
        {
            var f = line.Split('|');
            var flags = f[^19..];
            var names = genres.Where((_, g) => flags[g] == "1");
            items.Append(CultureInfo.InvariantCulture, $"{f[0]},\"{f[1].Replace("\"", "\"\"", StringComparison.Ordinal)}\",{string.Join('|', names)}\n");
        }

        File.WriteAllText(Path.Combine(folder, "ratings.csv"), ratings.ToString());
        File.WriteAllText(Path.Combine(folder, "users.csv"), users.ToString(), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(folder, "items.csv"), items.ToString(), new UTF8Encoding(false));
    }
}
