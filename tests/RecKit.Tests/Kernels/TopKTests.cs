using RecKit.Kernels;

namespace RecKit.Tests.Kernels;

public class TopKTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 3)]
    [InlineData(1000, 10)]
    [InlineData(1000, 300)]
    [InlineData(50, 80)]
    public void Select_AgreesWithFullSortReference_OnRandomScoresWithTiesAndExclusions(int n, int k)
    {
        var random = new Random(n * 31 + k);
        for (var trial = 0; trial < 20; trial++)
        {
            // Few distinct values force many ties; some slots are excluded (-inf) or unscorable (NaN).
            var scores = new float[n];
            for (var i = 0; i < n; i++)
            {
                var roll = random.NextDouble();
                scores[i] = roll < 0.1 ? float.NegativeInfinity : roll < 0.15 ? float.NaN : random.Next(0, 7) * 0.5f;
            }

            var expected = TopKReference.Select(scores, k);
            var actual = new int[k];
            var count = TopK.Select(scores, k, actual);
            Assert.Equal(expected, actual[..count]);
        }
    }

    [Fact]
    public void Select_BreaksTiesByLowerIndex()
    {
        float[] scores = [1, 2, 2, 0, 2];
        var top = new int[2];
        Assert.Equal(2, TopK.Select(scores, 2, top));
        Assert.Equal([1, 2], top);
    }

    [Fact]
    public void Select_ReturnsFewerWhenFewerAreEligible()
    {
        float[] scores = [float.NegativeInfinity, 3, float.NaN];
        var top = new int[3];
        Assert.Equal(1, TopK.Select(scores, 3, top));
        Assert.Equal(1, top[0]);
    }
}
