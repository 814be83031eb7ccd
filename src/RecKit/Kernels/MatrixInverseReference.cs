namespace RecKit.Kernels;

/// <summary>Reference inverse in double by Gauss–Jordan with partial pivoting on an augmented matrix.</summary>
internal static class MatrixInverseReference
{
    public static double[] Invert(float[] matrix, int n)
    {
        var a = new double[n, 2 * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[i, j] = matrix[(i * n) + j];
            }

            a[i, n + i] = 1;
        }

        for (var c = 0; c < n; c++)
        {
            var best = c;
            for (var r = c + 1; r < n; r++)
            {
                best = Math.Abs(a[r, c]) > Math.Abs(a[best, c]) ? r : best;
            }

            for (var j = 0; j < 2 * n; j++)
            {
                (a[c, j], a[best, j]) = (a[best, j], a[c, j]);
            }

            var pivot = a[c, c];
            for (var j = 0; j < 2 * n; j++)
            {
                a[c, j] /= pivot;
            }

            for (var r = 0; r < n; r++)
            {
                if (r != c && a[r, c] != 0)
                {
                    var f = a[r, c];
                    for (var j = 0; j < 2 * n; j++)
                    {
                        a[r, j] -= f * a[c, j];
                    }
                }
            }
        }

        var inverse = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                inverse[(i * n) + j] = a[i, n + j];
            }
        }

        return inverse;
    }
}
