using RecKit.Data;
using RecKit.Models;

namespace RecKit.Tests.Models;

public class UserHistoryProfileTests
{
    [Fact]
    public void Build_IsTheMeanFeatureRowOfEachUsersItems()
    {
        // 3 users × 3 items; item features over 2 columns.
        var byUser = CsrMatrix.FromCoordinates(3, 3, [0, 0, 1], [0, 2, 1], [5f, 1f, 2f]);
        var features = CsrMatrix.FromCoordinates(3, 2, [0, 1, 1, 2], [0, 0, 1, 1], [1f, 0.5f, 0.5f, 1f]);
        var profile = UserHistoryProfile.Build(byUser, features);
        Assert.Equal(3, profile.RowCount);
        Assert.Equal(2, profile.ColumnCount);
        Assert.Equal(0.5f, profile.Get(0, 0)); // (item 0: [1, 0] + item 2: [0, 1]) / 2
        Assert.Equal(0.5f, profile.Get(0, 1));
        Assert.Equal(0.5f, profile.Get(1, 0)); // item 1 alone
        Assert.Equal(0.5f, profile.Get(1, 1));
        Assert.Equal(0, profile.RowLength(2)); // no history, no profile
    }

    [Fact]
    public void SideBySide_NumbersTheRightColumnsAfterTheLeft()
    {
        var left = CsrMatrix.FromCoordinates(2, 2, [0, 1], [1, 0], [1f, 2f]);
        var right = CsrMatrix.FromCoordinates(2, 3, [0, 0], [0, 2], [3f, 4f]);
        var joined = UserHistoryProfile.SideBySide(left, right);
        Assert.Equal(5, joined.ColumnCount);
        Assert.Equal([1, 2, 4], joined.RowColumns(0).ToArray());
        Assert.Equal([1f, 3f, 4f], joined.RowValues(0).ToArray());
        Assert.Equal([0], joined.RowColumns(1).ToArray());
        Assert.Equal([2f], joined.RowValues(1).ToArray());
    }
}
