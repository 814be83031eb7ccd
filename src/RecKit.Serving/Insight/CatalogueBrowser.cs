namespace RecKit.Serving;

/// <summary>One page of a list, and whether another follows.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Rows, int Page, int PageSize, bool HasMore);

/// <summary>An item in a list: its index in the bundle, id, title, labels, training interactions and state now.</summary>
public sealed record ItemRow(int Index, string Id, string? Title, IReadOnlyList<string> Labels, int Interactions, ItemState State);

/// <summary>A user in a list: index in the bundle, id and training interactions.</summary>
public sealed record UserRow(int Index, string Id, int Interactions);

/// <summary>
/// Paged search of a served bundle's items and users for the dashboard. Matches are taken in order of popularity
/// (items) or activity (users) and only as far as the page asked for needs, so the first page of a common word costs
/// little on a million items; a query nothing matches reads every title once (tens of milliseconds at a million).
/// An id equal to the query comes first.
/// </summary>
public static class CatalogueBrowser
{
    public const int MaxPageSize = 200;

    /// <summary>Items whose id is <paramref name="query"/> or whose title or id contains it (any case); all items when it is empty.</summary>
    public static ListPage<ItemRow> Items(ServingBundle bundle, CatalogueOverrides overrides, string? query, int page, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(overrides);
        CheckPage(page, pageSize);
        var profile = BundleProfile.Of(bundle);
        var q = query?.Trim() ?? string.Empty;
        ItemRow Row(int i) => new(i, bundle.Items[i], bundle.Catalogue[i].Title, bundle.Catalogue[i].Labels, profile.ItemCounts[i], overrides.StateOf(bundle.Items[i]));
        var exact = q.Length > 0 && bundle.Items.TryGetIndex(q, out var e) ? e : -1;
        bool Matches(int i) => q.Length == 0
            || (i != exact && (bundle.Items[i].Contains(q, StringComparison.OrdinalIgnoreCase) || (bundle.Catalogue[i].Title?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)));
        return Take(profile.ItemsByPopularity, exact, Matches, Row, page, pageSize);
    }

    /// <summary>Users whose id is <paramref name="query"/> or contains it (any case); all users when it is empty; most active first.</summary>
    public static ListPage<UserRow> Users(ServingBundle bundle, string? query, int page, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        CheckPage(page, pageSize);
        var profile = BundleProfile.Of(bundle);
        var q = query?.Trim() ?? string.Empty;
        var exact = q.Length > 0 && bundle.Users.TryGetIndex(q, out var e) ? e : -1;
        bool Matches(int u) => q.Length == 0 || (u != exact && bundle.Users[u].Contains(q, StringComparison.OrdinalIgnoreCase));
        return Take(profile.UsersByActivity, exact, Matches, u => new UserRow(u, bundle.Users[u], profile.UserCounts[u]), page, pageSize);
    }

    private static ListPage<T> Take<T>(int[] order, int exact, Func<int, bool> matches, Func<int, T> row, int page, int pageSize)
    {
        var skip = (long)page * pageSize;
        var rows = new List<T>(pageSize);
        long seen = 0;
        var more = false;
        void Offer(int index)
        {
            if (seen++ >= skip)
            {
                if (rows.Count < pageSize)
                {
                    rows.Add(row(index));
                }
                else
                {
                    more = true;
                }
            }
        }

        if (exact >= 0)
        {
            Offer(exact);
        }

        foreach (var index in order)
        {
            if (more)
            {
                break;
            }

            if (matches(index))
            {
                Offer(index);
            }
        }

        return new ListPage<T>(rows, page, pageSize, more);
    }

    private static void CheckPage(int page, int pageSize)
    {
        if (page < 0)
        {
            throw new RequestFieldException("page", "must be 0 or more.");
        }

        if (pageSize < 1 || pageSize > MaxPageSize)
        {
            throw new RequestFieldException("size", $"must be 1 to {MaxPageSize}.");
        }
    }
}
