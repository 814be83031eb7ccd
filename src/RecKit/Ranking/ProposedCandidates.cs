namespace RecKit.Ranking;

/// <summary>
/// Candidates gathered from several sources' top-N: each item once, with a bit per source that proposed it (bit s:
/// source s). The one merge of the offline <see cref="CandidateGenerator"/> and the live stack ranker.
/// </summary>
internal sealed class ProposedCandidates
{
    private readonly Dictionary<int, uint> _sources = [];

    public void Add(int item, int source) => _sources[item] = _sources.GetValueOrDefault(item) | (1u << source);

    /// <summary>The items ascending, and each one's sources.</summary>
    public (int[] Items, uint[] ProposedBy) Ascending()
    {
        var items = _sources.Keys.ToArray();
        Array.Sort(items);
        return (items, Array.ConvertAll(items, item => _sources[item]));
    }
}
