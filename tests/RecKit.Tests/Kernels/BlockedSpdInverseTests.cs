using RecKit.Kernels;

namespace RecKit.Tests.Kernels;

public sealed class BlockedSpdInverseTests
{
    /// <summary>An EASE-like Gram matrix: XᵀX of random binary rows, plus λ on the diagonal.</summary>
    private static float[] Gram(int n, int seed, float lambda)
    {
        var random = new Random(seed);
        var a = new float[n * n];
        for (var u = 0; u < 3 * n; u++)
        {
            var items = Enumerable.Range(0, n).Where(_ => random.NextDouble() < 0.08).ToArray();
            foreach (var i in items)
            {
                foreach (var j in items)
                {
                    a[(i * n) + j] += 1;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            a[(i * n) + i] += lambda;
        }

        return a;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(127, 2)]
    [InlineData(128, 1)]
    [InlineData(129, 2)]
    [InlineData(301, 2)]
    [InlineData(301, 1)]
    public void AgreesWithTheDoubleReference_AndWithGaussJordan(int n, int threads)
    {
        var a = Gram(n, n, lambda: 5);
        var expected = MatrixInverseReference.Invert(a, n);
        var gaussJordan = (float[])a.Clone();
        MatrixInverse.InvertSpd(gaussJordan, n, threads);
        BlockedSpdInverse.InvertSpd(a, n, threads);
        var scale = expected.Max(Math.Abs);
        for (var j = 0; j < a.Length; j++)
        {
            Assert.True(Math.Abs(expected[j] - a[j]) <= 1e-5 * scale, $"entry {j}: {a[j]} vs {expected[j]}");
            Assert.True(Math.Abs(gaussJordan[j] - a[j]) <= 1e-5 * scale, $"entry {j}: blocked {a[j]} vs Gauss–Jordan {gaussJordan[j]}");
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                Assert.Equal(a[(i * n) + j], a[(j * n) + i]); // symmetric exactly
            }
        }
    }

    [Fact]
    public void ANonPositiveDefiniteMatrix_IsRefused()
    {
        var a = new float[] { 1, 2, 2, 1 };
        Assert.Throws<InvalidOperationException>(() => BlockedSpdInverse.InvertSpd(a, 2, 1));
    }
}
