using System.Text;

namespace RecKit.Data;

/// <summary>How to read an interaction log from delimited text.</summary>
public sealed record DelimitedReaderOptions
{
    /// <summary>Field separator; one or more characters (",", "\t", "::"). Default ",".</summary>
    public string Delimiter { get; init; } = ",";

    /// <summary>Whether the first line names the columns. Default true.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>User id column. Default: position 0.</summary>
    public ColumnRef User { get; init; } = ColumnRef.ByPosition(0);

    /// <summary>Item id column. Default: position 1.</summary>
    public ColumnRef Item { get; init; } = ColumnRef.ByPosition(1);

    /// <summary>Rating, play count or weight column; null for implicit data (every value 1). Default: position 2.</summary>
    public ColumnRef? Rating { get; init; } = ColumnRef.ByPosition(2);

    /// <summary>What the rating column holds: <see cref="ValueMeaning.Ratings"/> (default) or <see cref="ValueMeaning.Counts"/>.</summary>
    public ValueMeaning Values { get; init; } = ValueMeaning.Ratings;

    /// <summary>The rating scale values must lie in (ratings only); null accepts ±<see cref="RatingScale.UndeclaredLimit"/>. Default null.</summary>
    public RatingScale? Scale { get; init; }

    /// <summary>Unix-seconds timestamp column; null when absent. Default: none.</summary>
    public ColumnRef? Timestamp { get; init; }

    /// <summary>What to do with repeated (user, item) pairs. Default <see cref="DuplicatePolicy.KeepLast"/>.</summary>
    public DuplicatePolicy Duplicates { get; init; } = DuplicatePolicy.KeepLast;

    /// <summary>Skip malformed lines (counted and reported) instead of stopping at the first. Default false.</summary>
    public bool SkipBadLines { get; init; }

    /// <summary>Text encoding. Default UTF-8; MovieLens 100K's metadata files are Latin-1.</summary>
    public Encoding Encoding { get; init; } = Encoding.UTF8;

    /// <summary>Load into these maps (to share an index space with another file); null makes new maps.</summary>
    public IdMap? UserMap { get; init; }

    /// <inheritdoc cref="UserMap"/>
    public IdMap? ItemMap { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrEmpty(Delimiter))
        {
            throw new ArgumentException("The delimiter must not be empty.");
        }

        if (Delimiter.Contains('\n', StringComparison.Ordinal) || Delimiter.Contains('\r', StringComparison.Ordinal))
        {
            throw new ArgumentException("The delimiter must not contain a line break.");
        }

        if (Delimiter.Contains('"', StringComparison.Ordinal))
        {
            throw new ArgumentException("The delimiter must not contain a quote: quotes enclose fields.");
        }

        if (!Enum.IsDefined(Values))
        {
            throw new ArgumentException($"Unknown value kind '{Values}'; use Ratings or Counts.");
        }

        if (Scale is { } scale)
        {
            if (Values != ValueMeaning.Ratings)
            {
                throw new ArgumentException("A rating scale applies to ratings only, not to counts.");
            }

            scale.Validate();
        }
    }
}
