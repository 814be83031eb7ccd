using RecKit.Data;

namespace RecKit.Tests.Data;

public class PowerLawInteractionsTests
{
    [Fact]
    public void WithoutTastes_AUsersItemsDoNotDependOnTheUser()
    {
        var data = PowerLawInteractions.Generate(users: 3000, items: 400, draws: 60_000, seed: 3);
        Assert.InRange(MeanShareOfOwnResidue(data, groups: 8), 0.0, 0.30); // 1/8 plus the noise of small histories
    }

    [Fact]
    public void WithTastes_ThatShareOfEachUsersDrawsComesFromTheirOwnGroup()
    {
        var all = PowerLawInteractions.Generate(users: 3000, items: 400, draws: 60_000, seed: 3, tastes: 8, affinity: 1);
        Assert.Equal(1.0, MeanShareOfOwnResidue(all, groups: 8), 9); // every item of a user in one group

        // Half from the group, half from the catalogue: 0.5 + 0.5 / 8 of the draws in the user's group, somewhat less of
        // the distinct items (draws from the group repeat its head items more often).
        var half = PowerLawInteractions.Generate(users: 3000, items: 400, draws: 60_000, seed: 3, tastes: 8, affinity: 0.5);
        Assert.InRange(MeanShareOfOwnResidue(half, groups: 8), 0.45, 0.70);

        // Every group keeps the power law: its head item is far above its median item.
        var perItem = new int[400];
        foreach (var item in all.Items)
        {
            perItem[item]++;
        }

        var group0 = Enumerable.Range(0, 50).Select(r => perItem[r * 8]).ToArray();
        Assert.True(group0[0] > 5 * group0.Order().ElementAt(25), string.Join(",", group0));
        Assert.Equal(all.Users.ToArray(), PowerLawInteractions.Generate(3000, 400, 60_000, 3, tastes: 8, affinity: 1).Users.ToArray());
        Assert.Equal(all.Items.ToArray(), PowerLawInteractions.Generate(3000, 400, 60_000, 3, tastes: 8, affinity: 1).Items.ToArray());
    }

    [Theory]
    [InlineData(-1, 0.5)]
    [InlineData(401, 0.5)]
    [InlineData(4, 1.5)]
    [InlineData(4, double.NaN)]
    public void BadTastes_AreRefused(int tastes, double affinity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerLawInteractions.Generate(100, 400, 1000, 1, tastes, affinity));

    /// <summary>Over users with at least 5 items: the share of their items whose index mod groups is their commonest.</summary>
    private static double MeanShareOfOwnResidue(Interactions data, int groups)
    {
        var byUser = data.ByUser;
        var shares = new List<double>();
        for (var u = 0; u < byUser.RowCount; u++)
        {
            var items = byUser.RowColumns(u);
            if (items.Length >= 5)
            {
                var counts = new int[groups];
                foreach (var item in items)
                {
                    counts[item % groups]++;
                }

                shares.Add((double)counts.Max() / items.Length);
            }
        }

        return shares.Average();
    }
}
