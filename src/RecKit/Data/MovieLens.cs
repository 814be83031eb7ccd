using System.Globalization;
using System.Text;

namespace RecKit.Data;

/// <summary>
/// Readers for the MovieLens layouts: ml-latest(-small) and ml-20m CSVs, ml-100k's u.* files (Latin-1), and the
/// "::"-separated .dat files of ml-1m/ml-10m. Metadata is aligned to the id map of the loaded interactions;
/// entries for ids the map lacks are counted (<see cref="ItemMetadata.UnmatchedEntries"/>) and not added.
/// </summary>
public static class MovieLens
{
    /// <summary>ml-latest-small / ml-latest / ml-20m style: ratings.csv with header userId,movieId,rating,timestamp.</summary>
    public static LoadResult LoadLatestRatings(string directory, DelimitedReaderOptions? overrides = null, string fileName = "ratings.csv") =>
        DelimitedInteractionReader.Read(Path.Combine(directory, fileName), (overrides ?? new DelimitedReaderOptions()) with
        {
            Delimiter = ",",
            HasHeader = true,
            User = ColumnRef.ByName("userId"),
            Item = ColumnRef.ByName("movieId"),
            Rating = ColumnRef.ByName("rating"),
            Timestamp = ColumnRef.ByName("timestamp"),
            Values = ValueMeaning.Ratings,
            Scale = new RatingScale(0.5f, 5f),
        });

    /// <summary>ml-100k: u.data, tab-separated user, item, rating, timestamp, no header.</summary>
    public static LoadResult Load100kRatings(string directory, DelimitedReaderOptions? overrides = null) =>
        DelimitedInteractionReader.Read(Path.Combine(directory, "u.data"), (overrides ?? new DelimitedReaderOptions()) with
        {
            Delimiter = "\t",
            HasHeader = false,
            User = ColumnRef.ByPosition(0),
            Item = ColumnRef.ByPosition(1),
            Rating = ColumnRef.ByPosition(2),
            Timestamp = ColumnRef.ByPosition(3),
            Values = ValueMeaning.Ratings,
            Scale = new RatingScale(1f, 5f),
        });

    /// <summary>ml-1m / ml-10m: ratings.dat, "UserID::MovieID::Rating::Timestamp".</summary>
    public static LoadResult LoadDatRatings(string directory, DelimitedReaderOptions? overrides = null) =>
        DelimitedInteractionReader.Read(Path.Combine(directory, "ratings.dat"), (overrides ?? new DelimitedReaderOptions()) with
        {
            Delimiter = "::",
            HasHeader = false,
            User = ColumnRef.ByPosition(0),
            Item = ColumnRef.ByPosition(1),
            Rating = ColumnRef.ByPosition(2),
            Timestamp = ColumnRef.ByPosition(3),
            Values = ValueMeaning.Ratings,
            Scale = new RatingScale(1f, 5f),
        });

    /// <summary>Loads whichever layout a directory holds: ratings.csv, u.data or ratings.dat.</summary>
    public static LoadResult LoadRatings(string directory, DelimitedReaderOptions? overrides = null)
    {
        if (File.Exists(Path.Combine(directory, "ratings.csv")))
        {
            return LoadLatestRatings(directory, overrides);
        }

        if (File.Exists(Path.Combine(directory, "u.data")))
        {
            return Load100kRatings(directory, overrides);
        }

        if (File.Exists(Path.Combine(directory, "ratings.dat")))
        {
            return LoadDatRatings(directory, overrides);
        }

        throw new DataFormatException(directory, 0, null, "no MovieLens ratings here (expected ratings.csv, u.data or ratings.dat).");
    }

    /// <summary>Titles and genres of whichever layout a directory holds, or null when it has no movie file.</summary>
    public static ItemMetadata? LoadItemMetadata(string directory, IdMap items)
    {
        if (File.Exists(Path.Combine(directory, "movies.csv")))
        {
            return LoadLatestItemMetadata(directory, items);
        }

        if (File.Exists(Path.Combine(directory, "u.item")))
        {
            return Load100kItemMetadata(directory, items);
        }

        return File.Exists(Path.Combine(directory, "movies.dat")) ? LoadDatItemMetadata(directory, items) : null;
    }

    /// <summary>movies.csv: movieId,title,genres with quoted titles and "|"-separated genres ("(no genres listed)" is none).</summary>
    public static ItemMetadata LoadLatestItemMetadata(string directory, IdMap items)
    {
        var path = Path.Combine(directory, "movies.csv");
        var titles = new string?[items.Count];
        var genres = new List<(int, string, float)>();
        var unmatched = 0;
        foreach (var (line, number) in Lines(path, Encoding.UTF8, skipHeader: true))
        {
            var fields = CsvFields.Split(line);
            if (fields.Count != 3)
            {
                throw new DataFormatException(path, number, null, $"expected 3 fields (movieId,title,genres), found {fields.Count}.");
            }

            if (!items.TryGetIndex(fields[0], out var item))
            {
                unmatched++;
                continue;
            }

            titles[item] = fields[1];
            foreach (var genre in fields[2].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (genre != "(no genres listed)")
                {
                    genres.Add((item, genre, 1f));
                }
            }
        }

        return new ItemMetadata(titles, FeatureMatrix.FromTriples(items.Count, genres)) { UnmatchedEntries = unmatched };
    }

    /// <summary>tags.csv: userId,movieId,tag,timestamp → per-item counts of each (lower-cased) tag.</summary>
    public static FeatureMatrix LoadLatestTags(string directory, IdMap items)
    {
        var path = Path.Combine(directory, "tags.csv");
        var counts = new Dictionary<(int, string), float>();
        foreach (var (line, number) in Lines(path, Encoding.UTF8, skipHeader: true))
        {
            var fields = CsvFields.Split(line);
            if (fields.Count != 4)
            {
                throw new DataFormatException(path, number, null, $"expected 4 fields (userId,movieId,tag,timestamp), found {fields.Count}.");
            }

            var tag = fields[2].Trim().ToLowerInvariant();
            if (tag.Length > 0 && items.TryGetIndex(fields[1], out var item))
            {
                counts[(item, tag)] = counts.GetValueOrDefault((item, tag)) + 1;
            }
        }

        return FeatureMatrix.FromTriples(items.Count, counts.OrderBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).Select(p => (p.Key.Item1, p.Key.Item2, p.Value)));
    }

    /// <summary>ml-100k u.item (Latin-1): id|title|release|video release|IMDb URL|19 genre flags; genre names from u.genre.</summary>
    public static ItemMetadata Load100kItemMetadata(string directory, IdMap items)
    {
        var genreNames = Lines(Path.Combine(directory, "u.genre"), Encoding.Latin1, skipHeader: false)
            .Select(l => l.Line.Split('|')[0]).ToArray();
        var path = Path.Combine(directory, "u.item");
        var titles = new string?[items.Count];
        var genres = new List<(int, string, float)>();
        var unmatched = 0;
        foreach (var (line, number) in Lines(path, Encoding.Latin1, skipHeader: false))
        {
            var fields = line.Split('|');
            if (fields.Length != 5 + genreNames.Length)
            {
                throw new DataFormatException(path, number, null, $"expected {5 + genreNames.Length} '|'-separated fields, found {fields.Length}.");
            }

            if (!items.TryGetIndex(fields[0], out var item))
            {
                unmatched++;
                continue;
            }

            titles[item] = fields[1];
            for (var g = 0; g < genreNames.Length; g++)
            {
                if (fields[5 + g] == "1")
                {
                    genres.Add((item, genreNames[g], 1f));
                }
                else if (fields[5 + g] != "0")
                {
                    throw new DataFormatException(path, number, genreNames[g], $"expected a genre flag 0 or 1, found '{fields[5 + g]}'.");
                }
            }
        }

        return new ItemMetadata(titles, FeatureMatrix.FromTriples(items.Count, genres, genreNames)) { UnmatchedEntries = unmatched };
    }

    /// <summary>ml-100k u.user: id|age|gender|occupation|zip → one-hot age band, gender and occupation.</summary>
    public static FeatureMatrix Load100kUsers(string directory, IdMap users)
    {
        var path = Path.Combine(directory, "u.user");
        var features = new List<(int, string, float)>();
        foreach (var (line, number) in Lines(path, Encoding.Latin1, skipHeader: false))
        {
            var fields = line.Split('|');
            if (fields.Length != 5)
            {
                throw new DataFormatException(path, number, null, $"expected 5 '|'-separated fields (id|age|gender|occupation|zip), found {fields.Length}.");
            }

            if (!int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var age))
            {
                throw new DataFormatException(path, number, "age", $"expected a whole number, found '{fields[1]}'.");
            }

            if (users.TryGetIndex(fields[0], out var user))
            {
                features.Add((user, AgeBand(age), 1f));
                features.Add((user, $"gender={fields[2]}", 1f));
                features.Add((user, $"occupation={fields[3]}", 1f));
            }
        }

        return FeatureMatrix.FromTriples(users.Count, features);
    }

    /// <summary>ml-1m movies.dat (Latin-1): MovieID::Title::Genres.</summary>
    public static ItemMetadata LoadDatItemMetadata(string directory, IdMap items)
    {
        var path = Path.Combine(directory, "movies.dat");
        var titles = new string?[items.Count];
        var genres = new List<(int, string, float)>();
        var unmatched = 0;
        foreach (var (line, number) in Lines(path, Encoding.Latin1, skipHeader: false))
        {
            var fields = line.Split("::");
            if (fields.Length != 3)
            {
                throw new DataFormatException(path, number, null, $"expected 3 '::'-separated fields (MovieID::Title::Genres), found {fields.Length}.");
            }

            if (!items.TryGetIndex(fields[0], out var item))
            {
                unmatched++;
                continue;
            }

            titles[item] = fields[1];
            foreach (var genre in fields[2].Split('|', StringSplitOptions.RemoveEmptyEntries))
            {
                genres.Add((item, genre, 1f));
            }
        }

        return new ItemMetadata(titles, FeatureMatrix.FromTriples(items.Count, genres)) { UnmatchedEntries = unmatched };
    }

    /// <summary>ml-1m users.dat: UserID::Gender::Age::Occupation::Zip → one-hot gender, age code and occupation code.</summary>
    public static FeatureMatrix LoadDatUsers(string directory, IdMap users)
    {
        var path = Path.Combine(directory, "users.dat");
        var features = new List<(int, string, float)>();
        foreach (var (line, number) in Lines(path, Encoding.Latin1, skipHeader: false))
        {
            var fields = line.Split("::");
            if (fields.Length != 5)
            {
                throw new DataFormatException(path, number, null, $"expected 5 '::'-separated fields (UserID::Gender::Age::Occupation::Zip), found {fields.Length}.");
            }

            if (users.TryGetIndex(fields[0], out var user))
            {
                features.Add((user, $"gender={fields[1]}", 1f));
                features.Add((user, $"age={fields[2]}", 1f));
                features.Add((user, $"occupation={fields[3]}", 1f));
            }
        }

        return FeatureMatrix.FromTriples(users.Count, features);
    }

    private static string AgeBand(int age) => age switch
    {
        < 18 => "age<18",
        < 25 => "age=18-24",
        < 35 => "age=25-34",
        < 45 => "age=35-44",
        < 50 => "age=45-49",
        < 56 => "age=50-55",
        _ => "age=56+",
    };

    private static IEnumerable<(string Line, long Number)> Lines(string path, Encoding encoding, bool skipHeader)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, 0, null, "file not found.");
        }

        using var reader = new StreamReader(path, encoding);
        long number = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if ((skipHeader && number == 1) || line.Length == 0)
            {
                continue;
            }

            yield return (line, number);
        }
    }
}
