using System.Globalization;
using System.Text;

using RecKit.IO;

namespace RecKit.Data.Splits;

/// <summary>Writes split parts as CSV (user,item,rating[,timestamp] with external ids), atomically, so others can check them.</summary>
public static class SplitWriter
{
    public static void WriteCsv(string path, Interactions part)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(part.HasTimestamps ? "user,item,rating,timestamp\n" : "user,item,rating\n");
            var users = part.Users;
            var items = part.Items;
            var values = part.Values;
            var times = part.Timestamps;
            for (var k = 0; k < part.Count; k++)
            {
                writer.Write(Quote(part.UserMap[users[k]]));
                writer.Write(',');
                writer.Write(Quote(part.ItemMap[items[k]]));
                writer.Write(',');
                writer.Write(values[k].ToString("R", CultureInfo.InvariantCulture));
                if (part.HasTimestamps)
                {
                    writer.Write(',');
                    writer.Write(times[k].ToString(CultureInfo.InvariantCulture));
                }

                writer.Write('\n');
            }
        });
    }

    /// <summary>Writes train.csv and test.csv (or train_fold{n}.csv ... for several splits) into a directory; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(string directory, IReadOnlyList<Split> splits)
    {
        var paths = new List<string>();
        for (var f = 0; f < splits.Count; f++)
        {
            var suffix = splits.Count == 1 ? string.Empty : $"_fold{f + 1}";
            var train = Path.Combine(directory, $"train{suffix}.csv");
            var test = Path.Combine(directory, $"test{suffix}.csv");
            WriteCsv(train, splits[f].Train);
            WriteCsv(test, splits[f].Test);
            paths.Add(train);
            paths.Add(test);
        }

        return paths;
    }

    private static string Quote(string id) =>
        id.AsSpan().IndexOfAny(",\"\n\r") < 0 ? id : $"\"{id.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
