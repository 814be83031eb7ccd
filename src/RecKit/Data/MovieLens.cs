namespace RecKit.Data;

/// <summary>Readers for the MovieLens file layouts.</summary>
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
        });
}
