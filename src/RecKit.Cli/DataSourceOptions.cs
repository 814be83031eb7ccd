using System.CommandLine;
using RecKit.Data;

namespace RecKit.Cli;

/// <summary>
/// The options every command that reads interactions shares, and the one place that turns them into a load.
/// A directory is read by its MovieLens layout (ratings.csv, u.data or ratings.dat); a file as delimited text.
/// </summary>
internal sealed class DataSourceOptions
{
    public Option<string?> Delimiter { get; } = new("--delimiter") { Description = "Field delimiter of a delimited file (default ','; use '\\t' for tab)." };

    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The file has no header line." };

    public Option<string> UserColumn { get; } = new("--user-col") { Description = "User column: name or 0-based position.", DefaultValueFactory = _ => "0" };

    public Option<string> ItemColumn { get; } = new("--item-col") { Description = "Item column: name or 0-based position.", DefaultValueFactory = _ => "1" };

    public Option<string?> RatingColumn { get; } = new("--rating-col") { Description = "Rating/weight column: name or position; 'none' for implicit data.", DefaultValueFactory = _ => "2" };

    public Option<ValueMeaning> Values { get; } = new("--values") { Description = "What the rating column holds: Ratings (explicit, within a rating scale) or Counts (plays, purchases, weights: zero or more).", DefaultValueFactory = _ => ValueMeaning.Ratings };

    public Option<string?> RatingScale { get; } = new("--rating-scale") { Description = "The rating scale MIN:MAX (e.g. 1:5); ratings outside it stop the load. Without it, ratings must lie within ±1000." };

    public Option<string?> TimestampColumn { get; } = new("--timestamp-col") { Description = "Timestamp column (Unix seconds): name or position." };

    public Option<DuplicatePolicy> Duplicates { get; } = new("--duplicates") { Description = "Repeated (user, item) pairs: KeepLast, KeepFirst or SumWeights.", DefaultValueFactory = _ => DuplicatePolicy.KeepLast };

    public Option<bool> SkipBadLines { get; } = new("--skip-bad-lines") { Description = "Skip malformed lines (counted and reported) instead of stopping." };

    public void AddTo(Command command)
    {
        command.Options.Add(Delimiter);
        command.Options.Add(NoHeader);
        command.Options.Add(UserColumn);
        command.Options.Add(ItemColumn);
        command.Options.Add(RatingColumn);
        command.Options.Add(TimestampColumn);
        command.Options.Add(Values);
        command.Options.Add(RatingScale);
        command.Options.Add(Duplicates);
        command.Options.Add(SkipBadLines);
    }

    /// <param name="users">Ids already in use (a saved model's): a file is read into copies of these maps, so its known ids keep their indices.</param>
    public LoadResult Load(ParseResult parse, string path, IdMap? users = null, IdMap? items = null)
    {
        var common = new DelimitedReaderOptions
        {
            Duplicates = parse.GetValue(Duplicates),
            SkipBadLines = parse.GetValue(SkipBadLines),
            UserMap = users is null ? null : IdMap.FromIds(users.Ids),
            ItemMap = items is null ? null : IdMap.FromIds(items.Ids),
        };
        if (Directory.Exists(path))
        {
            return users is null ? LoadDirectory(path, common) : throw new ArgumentException($"{path} is a directory; a saved model is evaluated on a file of held-out interactions (the test part written by `reckit split --out`).");
        }

        var rating = parse.GetValue(RatingColumn);
        var timestamp = parse.GetValue(TimestampColumn);
        var delimiter = parse.GetValue(Delimiter) ?? (path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? "\t" : ",");
        var scale = parse.GetValue(RatingScale) is { } text ? Data.RatingScale.Parse(text) : (Data.RatingScale?)null;
        return DelimitedInteractionReader.Read(path, common with
        {
            Values = parse.GetValue(Values),
            Scale = scale,
            Delimiter = delimiter.Replace("\\t", "\t", StringComparison.Ordinal),
            HasHeader = !parse.GetValue(NoHeader),
            User = ColumnRef.Parse(parse.GetValue(UserColumn)!),
            Item = ColumnRef.Parse(parse.GetValue(ItemColumn)!),
            Rating = rating is null || rating.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : ColumnRef.Parse(rating),
            Timestamp = timestamp is null ? null : ColumnRef.Parse(timestamp),
        });
    }

    private static LoadResult LoadDirectory(string path, DelimitedReaderOptions common) => MovieLens.LoadRatings(path, common);
}
