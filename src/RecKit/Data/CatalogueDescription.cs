namespace RecKit.Data;

/// <summary>How a catalogue's interactions are laid out: a MovieLens directory, or any delimited file.</summary>
public enum CatalogueFormat
{
    /// <summary>A MovieLens directory (ratings.csv + movies.csv + tags.csv, u.data + u.item + u.user, or ratings.dat): the preset.</summary>
    MovieLens,

    /// <summary>Any delimited interactions file, with optional user and item feature files.</summary>
    Delimited,
}

/// <summary>How counts are turned into confidence weights on load.</summary>
public enum CountTransform
{
    /// <summary>log(1 + count): 1 play and 1,000 plays differ, but not by a thousand times. The default.</summary>
    Log1p,

    /// <summary>The counts as they are.</summary>
    None,
}

/// <summary>
/// The "data" section of the main job: where the interactions are, what their value means, and the optional user and
/// item feature files. Every key has a default; <see cref="Validate"/> checks them all before anything is read.
/// </summary>
public sealed record CatalogueDescription
{
    /// <summary>MovieLens (a directory, the preset) or Delimited (a file described by the keys below). Default MovieLens.</summary>
    public CatalogueFormat Format { get; init; } = CatalogueFormat.MovieLens;

    /// <summary>The MovieLens directory, or the interactions file. Default the bundled data/ml-latest-small.</summary>
    public string Path { get; init; } = System.IO.Path.Combine("data", "ml-latest-small");

    /// <summary>Field delimiter of a delimited file ("\t" for tab). Default ",".</summary>
    public string Delimiter { get; init; } = ",";

    /// <summary>Whether the file's first line names its columns. Default true.</summary>
    public bool Header { get; init; } = true;

    /// <summary>User id column: a header name or a 0-based position. Default "user".</summary>
    public string User { get; init; } = "user";

    /// <summary>Item id column. Default "item".</summary>
    public string Item { get; init; } = "item";

    /// <summary>Value column (rating, play count); ignored when <see cref="Values"/> is None. Default "rating".</summary>
    public string Value { get; init; } = "rating";

    /// <summary>Unix-seconds timestamp column, or null. Default null.</summary>
    public string? Timestamp { get; init; }

    public DuplicatePolicy Duplicates { get; init; } = DuplicatePolicy.KeepLast;

    /// <summary>What the value means: Ratings, Counts or None. Default Ratings (the MovieLens preset is always Ratings).</summary>
    public ValueMeaning Values { get; init; } = ValueMeaning.Ratings;

    /// <summary>The rating scale "MIN:MAX" (ratings only); null accepts ±1000. Default null.</summary>
    public string? RatingScale { get; init; }

    /// <summary>How counts become confidence weights. Default Log1p.</summary>
    public CountTransform CountTransform { get; init; } = CountTransform.Log1p;

    /// <summary>Item features (genres, artist, price, description...), and the display column for titles. Default none.</summary>
    public FeatureFileOptions? ItemFeatures { get; init; }

    /// <summary>User features (age, country...). Default none.</summary>
    public FeatureFileOptions? UserFeatures { get; init; }

    /// <summary>Keep users with at least this many interactions (applied with the item minimum until both hold). Default 1.</summary>
    public int MinUserInteractions { get; init; } = 1;

    /// <summary>Keep items with at least this many interactions. Default 1.</summary>
    public int MinItemInteractions { get; init; } = 1;

    private static readonly string[] MovieLensRatingFiles = ["ratings.csv", "u.data", "ratings.dat"];

    /// <summary>The same description with every file path made absolute (for a copy kept beside a bundle, read from anywhere).</summary>
    public CatalogueDescription WithAbsolutePaths() => this with
    {
        Path = System.IO.Path.GetFullPath(Path),
        ItemFeatures = ItemFeatures is { } items ? items with { Path = System.IO.Path.GetFullPath(items.Path) } : null,
        UserFeatures = UserFeatures is { } users ? users with { Path = System.IO.Path.GetFullPath(users.Path) } : null,
    };

    public void Validate()
    {
        const string Key = "setting";
        OptionCheck.Defined(Key, "data.format", Format);
        OptionCheck.Defined(Key, "data.values", Values);
        OptionCheck.Defined(Key, "data.countTransform", CountTransform);
        OptionCheck.Defined(Key, "data.duplicates", Duplicates);
        OptionCheck.AtLeast(Key, "data.minUserInteractions", MinUserInteractions, 1);
        OptionCheck.AtLeast(Key, "data.minItemInteractions", MinItemInteractions, 1);
        if (Format == CatalogueFormat.MovieLens)
        {
            if (File.Exists(Path))
            {
                throw new ArgumentException($"setting 'data.path': {Path} is a file; with data.format MovieLens the main job reads a MovieLens directory holding ratings.csv, u.data or ratings.dat. For another interactions file set \"format\": \"Delimited\" and describe its columns (see README).");
            }

            if (!Directory.Exists(Path))
            {
                throw new ArgumentException($"setting 'data.path': {Path} does not exist.");
            }

            if (!MovieLensRatingFiles.Any(f => File.Exists(System.IO.Path.Combine(Path, f))))
            {
                throw new ArgumentException($"setting 'data.path': {Path} holds no MovieLens ratings (expected ratings.csv, u.data or ratings.dat).");
            }

            if (ItemFeatures is not null || UserFeatures is not null)
            {
                throw new ArgumentException("settings 'data.itemFeatures' and 'data.userFeatures' describe the files of a Delimited catalogue; the MovieLens preset reads its own (movies.csv, tags.csv, u.item, u.user).");
            }

            return;
        }

        if (!File.Exists(Path))
        {
            throw new ArgumentException($"setting 'data.path': {Path} is not a file (data.format is Delimited: the interactions file).");
        }

        if (string.IsNullOrEmpty(Delimiter) || Delimiter.Contains('"', StringComparison.Ordinal))
        {
            throw new ArgumentException($"setting 'data.delimiter' must be a non-empty separator other than a quote; it is '{Delimiter}'.");
        }

        if (RatingScale is { } scale)
        {
            if (Values != ValueMeaning.Ratings)
            {
                throw new ArgumentException($"setting 'data.ratingScale' applies to ratings; data.values is {Values}.");
            }

            Data.RatingScale.Parse(scale);
        }

        ItemFeatures?.Validate("setting 'data.itemFeatures'");
        UserFeatures?.Validate("setting 'data.userFeatures'");
    }
}
