using RecKit.Data;

namespace RecKit.Serving;

/// <summary>
/// Items added to the catalogue since the serving bundle, as one request may rank them: their feature rows in the
/// bundle's item columns, and which of them this request may return (shown, not hidden or deleted, not already
/// interacted with by the user, carrying the asked label). A ranker whose models score new items (content, two-tower)
/// gives them the index <see cref="Offset"/> + row in its answer.
/// </summary>
public sealed class NewCandidates(CsrMatrix features, int offset, Func<int, bool> allow)
{
    public CsrMatrix Features => features;

    /// <summary>The serving bundle's item count: a returned index at or above it is row (index − Offset) here.</summary>
    public int Offset => offset;

    public int Count => features.RowCount;

    /// <summary>Whether row <paramref name="row"/> may be returned.</summary>
    public bool Allows(int row) => allow(row);
}
