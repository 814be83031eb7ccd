using RecKit.Serving;
using RecKit.Tests.Server;

namespace RecKit.Tests.Dashboard;

/// <summary>The dashboard's paged lists and its data summary, against brute force on the ml-latest-small bundle.</summary>
public sealed class CatalogueBrowserTests
{
    private static readonly Lazy<ServingBundle> Bundle = new(() => ServingBundle.Load(LatestSmallBundle.Folder));

    [Fact]
    public void TheProfile_CountsEveryInteraction_AndOrdersByCount()
    {
        var bundle = Bundle.Value;
        var profile = BundleProfile.Of(bundle);
        Assert.Same(profile, BundleProfile.Of(bundle)); // counted once per bundle
        var items = new int[bundle.Items.Count];
        var users = new int[bundle.Users.Count];
        for (var u = 0; u < bundle.Users.Count; u++)
        {
            users[u] = bundle.History.RowLength(u);
            foreach (var i in bundle.History.RowColumns(u))
            {
                items[i]++;
            }
        }

        Assert.Equal(items, profile.ItemCounts);
        Assert.Equal(users, profile.UserCounts);
        Assert.Equal(Enumerable.Range(0, items.Length).OrderByDescending(i => items[i]).ThenBy(i => i), profile.ItemsByPopularity);
        Assert.Equal(Enumerable.Range(0, users.Length).OrderByDescending(u => users[u]).ThenBy(u => u), profile.UsersByActivity);

        var summary = profile.Summary;
        Assert.Equal((bundle.Users.Count, bundle.Items.Count, (long)bundle.History.NonZeroCount), (summary.Users, summary.Items, summary.Interactions));
        var sorted = users.Order().ToArray();
        Assert.Equal(sorted[^1], summary.PerUser.Max);
        Assert.Equal(sorted[0], summary.PerUser.Min);
        Assert.InRange(summary.PerUser.Median, sorted[(sorted.Length - 1) / 2], sorted[sorted.Length / 2]);
        Assert.Equal(items.Count(c => c == 0), summary.ItemsWithoutInteractions);
        var top = items.OrderDescending().Take((int)Math.Ceiling(0.1 * items.Length)).Sum(c => (long)c);
        Assert.Equal((double)top / summary.Interactions, summary.TopTenPercentShare, 12);
        Assert.Equal((0.0, 0.0), summary.LongTailCurve[0]);
        Assert.Equal(1.0, summary.LongTailCurve[^1].InteractionShare, 12);
        Assert.True(summary.LongTailCurve.Zip(summary.LongTailCurve.Skip(1)).All(p => p.Second.InteractionShare >= p.First.InteractionShare));
    }

    [Fact]
    public void PagingThroughEveryItem_GivesThePopularityOrder_AndEndsWhereItSays()
    {
        var bundle = Bundle.Value;
        var seen = new List<int>();
        for (var page = 0; ; page++)
        {
            var list = CatalogueBrowser.Items(bundle, new CatalogueOverrides(new Dictionary<string, ItemState>()), null, page, 200);
            seen.AddRange(list.Rows.Select(r => r.Index));
            Assert.Equal(list.HasMore, seen.Count < bundle.Items.Count);
            if (!list.HasMore)
            {
                break;
            }

            Assert.Equal(200, list.Rows.Count);
        }

        Assert.Equal(BundleProfile.Of(bundle).ItemsByPopularity, seen);
    }

    [Theory]
    [InlineData("story")]
    [InlineData("STAR WARS")]
    [InlineData("1")]
    [InlineData("no title has this")]
    public void ASearch_FindsWhatBruteForceFinds_ExactIdFirst_ThenByPopularity(string query)
    {
        var bundle = Bundle.Value;
        var profile = BundleProfile.Of(bundle);
        var hidden = bundle.Items[profile.ItemsByPopularity[0]];
        var overrides = new CatalogueOverrides(new Dictionary<string, ItemState> { [hidden] = ItemState.Hidden });
        var expected = profile.ItemsByPopularity
            .Where(i => bundle.Items[i].Contains(query, StringComparison.OrdinalIgnoreCase) || (bundle.Catalogue[i].Title?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(i => bundle.Items[i] == query ? 0 : 1)
            .ToList();
        var found = new List<ItemRow>();
        for (var page = 0; ; page++)
        {
            var list = CatalogueBrowser.Items(bundle, overrides, query, page, 7);
            found.AddRange(list.Rows);
            if (!list.HasMore)
            {
                break;
            }
        }

        Assert.Equal(expected, found.Select(r => r.Index));
        Assert.All(found, r => Assert.Equal(r.Id == hidden ? ItemState.Hidden : ItemState.Visible, r.State));
        Assert.All(found, r => Assert.Equal(profile.ItemCounts[r.Index], r.Interactions));
    }

    [Fact]
    public void Users_ArePagedByActivity_AndAnExactIdComesFirst()
    {
        var bundle = Bundle.Value;
        var profile = BundleProfile.Of(bundle);
        var first = CatalogueBrowser.Users(bundle, null, 0, 10);
        Assert.Equal(profile.UsersByActivity.Take(10), first.Rows.Select(r => r.Index));
        Assert.True(first.HasMore);
        var exact = CatalogueBrowser.Users(bundle, "41", 0, 200);
        Assert.Equal("41", exact.Rows[0].Id);
        Assert.All(exact.Rows.Skip(1), r => Assert.Contains("41", r.Id, StringComparison.Ordinal));
        Assert.Equal(bundle.Users.Ids.Count(id => id.Contains("41", StringComparison.Ordinal)), exact.Rows.Count);
    }

    [Theory]
    [InlineData(-1, 10, "page")]
    [InlineData(0, 0, "size")]
    [InlineData(0, 201, "size")]
    public void ABadPage_IsARequestErrorNamingIt(int page, int size, string field)
    {
        var error = Assert.Throws<RequestFieldException>(() => CatalogueBrowser.Users(Bundle.Value, null, page, size));
        Assert.Equal(field, error.Field);
    }
}
