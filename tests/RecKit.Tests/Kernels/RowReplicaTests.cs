using RecKit.Kernels;

namespace RecKit.Tests.Kernels;

public class RowReplicaTests
{
    [Fact]
    public void Merge_AddsEveryReplicasChangesToTheSharedRows_AndTakesTheOthers()
    {
        float[] shared = [1, 2, 3, 4, 5, 6];
        float[] bias = [10, 20, 30];
        var mergeLock = new object();
        var first = new RowReplica(shared, bias, 2, mergeLock);
        var second = new RowReplica(shared, bias, 2, mergeLock);

        first.Row(0)[1] += 0.5f;
        first.Bias(2) -= 1;
        second.Row(0)[1] += 0.25f;
        second.Row(2)[0] = 0;
        Assert.Equal([1, 2, 3, 4, 5, 6], shared); // nothing shared is written before a merge

        first.Merge();
        Assert.Equal([1, 2.5f, 3, 4, 5, 6], shared);
        Assert.Equal([10, 20, 29], bias);
        second.Merge();
        Assert.Equal([1, 2.75f, 3, 4, 0, 6], shared);
        Assert.Equal(2.75f, second.Row(0)[1]); // the merge also brought in the first replica's change
        Assert.Equal(29, second.Bias(2));

        first.Refresh();
        float[] copy = [first.Row(0)[0], first.Row(0)[1], first.Row(1)[0], first.Row(1)[1], first.Row(2)[0], first.Row(2)[1]];
        Assert.Equal(shared, copy);
    }
}
