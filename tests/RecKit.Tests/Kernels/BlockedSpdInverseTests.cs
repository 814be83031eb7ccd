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

    public static TheoryData<int, int, string> Cases()
    {
        var cases = new TheoryData<int, int, string>(); // kernel by name: the enum is internal
        (int N, int Threads)[] sizes = [(1, 1), (7, 2), (127, 2), (128, 1), (129, 2), (301, 2), (301, 1), (333, 2)];
        foreach (var kernel in Enum.GetValues<BlockedSpdInverse.Kernel>().Where(k => k <= BlockedSpdInverse.Widest))
        {
            foreach (var (n, threads) in sizes)
            {
                cases.Add(n, threads, kernel.ToString());
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AgreesWithTheDoubleReference_AndWithGaussJordan(int n, int threads, string kernel)
    {
        var a = Gram(n, n, lambda: 5);
        var expected = MatrixInverseReference.Invert(a, n);
        var gaussJordan = (float[])a.Clone();
        MatrixInverse.InvertSpd(gaussJordan, n, threads);
        BlockedSpdInverse.InvertSpd(a, n, threads, Enum.Parse<BlockedSpdInverse.Kernel>(kernel));
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
