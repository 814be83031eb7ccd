using RecKit.Kernels;

namespace RecKit.Tests.Kernels;

public class TopKTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(40, 10)]
    [InlineData(500, 100)]
    [InlineData(30, 60)]
    public void SelectPairs_OfScatteredItems_IsTheDenseSelection(int m, int k)
    {
        var random = new Random((m * 17) + k);
        for (var trial = 0; trial < 20; trial++)
        {
            // m distinct items of a catalogue of 4m, in random order, with many ties; the others are −∞ in the dense array.
            var items = Enumerable.Range(0, 4 * m).OrderBy(_ => random.Next()).Take(m).ToArray();
            var scores = items.Select(_ => random.NextDouble() < 0.1 ? float.NegativeInfinity : random.Next(0, 5) * 0.25f).ToArray();
            var dense = Enumerable.Repeat(float.NegativeInfinity, 4 * m).ToArray();
            for (var j = 0; j < m; j++)
            {
                dense[items[j]] = scores[j];
            }

            var expected = TopKReference.Select(dense, k);
            var top = new int[k];
            var values = new float[k];
            var count = TopK.SelectPairs(items, scores, k, top, values);
            Assert.Equal(expected, top[..count]);
            Assert.Equal(expected.Select(i => dense[i]), values[..count]);
        }
    }

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
