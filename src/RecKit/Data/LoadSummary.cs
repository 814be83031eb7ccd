namespace RecKit.Data;

/// <summary>What a load read, kept, merged and skipped, so nothing is dropped silently.</summary>
public sealed record LoadSummary
{
    public required string Path { get; init; }

    /// <summary>Data lines read (header and blank lines excluded).</summary>
    public long RowsRead { get; init; }

    /// <summary>Interactions in the result after duplicates were merged.</summary>
    public int Interactions { get; init; }

    public int DuplicatesMerged { get; init; }

    public DuplicatePolicy DuplicatePolicy { get; init; }

    /// <summary>Malformed lines skipped (only with SkipBadLines).</summary>
    public long BadLinesSkipped { get; init; }

    /// <summary>The first few skipped lines' messages.</summary>
    public IReadOnlyList<string> BadLineExamples { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsRead / Elapsed.TotalSeconds : 0;
}

/// <summary>The interactions a load produced and what it did to produce them.</summary>
public sealed record LoadResult(Interactions Interactions, LoadSummary Summary);
