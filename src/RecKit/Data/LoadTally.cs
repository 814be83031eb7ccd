using System.Diagnostics;

namespace RecKit.Data;

/// <summary>What both interaction readers count while reading, and how they end: one set of rules for bad lines and empty files.</summary>
internal sealed class LoadTally(string path, DelimitedReaderOptions options)
{
    private const int MaxExamples = 5;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _examples = [];

    public long Rows { get; set; }

    public long Bad { get; private set; }

    /// <summary>A malformed line: stop the load, or count it when bad lines are skipped.</summary>
    public void BadLine(long line, string field, string problem)
    {
        if (!options.SkipBadLines)
        {
            if (Rows == 1 && field == "field count")
            {
                throw new DataFormatException(path, line, null, $"{problem} Is the delimiter '{ColumnLayout.Show(options.Delimiter)}' right?");
            }

            throw new DataFormatException(path, line, field, problem);
        }

        Bad++;
        if (_examples.Count < MaxExamples)
        {
            _examples.Add(new DataFormatException(path, line, field, problem).Message);
        }
    }

    public LoadResult Finish(InteractionsBuilder builder, ColumnLayout layout)
    {
        if (Rows == 0)
        {
            throw new DataFormatException(path, 0, null, options.HasHeader ? "the file has a header but no data lines." : "the file is empty.");
        }

        if (builder.Count == 0)
        {
            throw new DataFormatException(path, 0, null, $"all {Rows} data lines were malformed; first: {_examples.FirstOrDefault()}");
        }

        var interactions = builder.Build(options.Duplicates, layout.Rating < 0 ? ValueMeaning.None : options.Values, hasTimestamps: layout.Timestamp >= 0, out var merged);
        _clock.Stop();
        return new LoadResult(interactions, new LoadSummary
        {
            Path = path,
            RowsRead = Rows,
            Interactions = interactions.Count,
            DuplicatesMerged = merged,
            DuplicatePolicy = options.Duplicates,
            BadLinesSkipped = Bad,
            BadLineExamples = _examples,
            Elapsed = _clock.Elapsed,
        });
    }
}
