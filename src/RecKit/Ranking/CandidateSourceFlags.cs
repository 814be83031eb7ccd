namespace RecKit.Ranking;

/// <summary>
/// Which candidate sources proposed a candidate (seed 003 §10): a column from_NAME per source of the candidate plan, 1
/// when the item was in that source's top-N for the user, 0 when another source brought it. A plan with one source
/// has no such columns (every candidate would carry 1). The columns follow the per-user ones and come before the time
/// columns, offline and live alike; each candidate's sources travel as a bit mask (bit s: the plan's source s).
/// </summary>
public static class CandidateSourceFlags
{
    public const string Prefix = "from_";

    /// <summary>Sources a plan may have at most: one bit each in a candidate's mask.</summary>
    public const int MaxSources = 32;

    /// <summary>Refuses more sources than a candidate's mask has bits for.</summary>
    internal static void CheckSourceCount(int sources, string parameter)
    {
        if (sources > MaxSources)
        {
            throw new ArgumentException($"{sources} candidate sources; at most {MaxSources}.", parameter);
        }
    }

    /// <summary>The columns for a plan's sources, in plan order; none for fewer than two sources.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return sources.Count < 2 ? [] : [.. sources.Select(s => Prefix + s)];
    }

    /// <summary>The sources a stack's feature names flag, in column order (none for stacks without the columns).</summary>
    public static IReadOnlyList<string> In(IReadOnlyList<string> featureNames) =>
        [.. featureNames.Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..])];

    /// <summary>
    /// Fills the <paramref name="sources"/> flag columns, from <paramref name="offset"/>, of <paramref name="proposedBy"/>.Length
    /// candidate rows of <paramref name="width"/> features.
    /// </summary>
    public static void Write(Span<float> rows, int width, int offset, int sources, ReadOnlySpan<uint> proposedBy)
    {
        for (var j = 0; j < proposedBy.Length; j++)
        {
            var row = rows.Slice((j * width) + offset, sources);
            for (var s = 0; s < sources; s++)
            {
                row[s] = (proposedBy[j] >> s & 1) == 1 ? 1f : 0f;
            }
        }
    }
}
