namespace RecKit.Kernels;

/// <summary>Dense reference for <see cref="SparseCosine"/>: every pair's cosine from dense rows.</summary>
internal static class SparseCosineReference
{
    public static double[,] All(float[,] dense, double shrink)
    {
        var n = dense.GetLength(0);
        var m = dense.GetLength(1);
        var result = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double dot = 0, ni = 0, nj = 0;
                var common = 0;
                for (var c = 0; c < m; c++)
                {
                    dot += dense[i, c] * dense[j, c];
                    ni += dense[i, c] * dense[i, c];
                    nj += dense[j, c] * dense[j, c];
                    common += dense[i, c] != 0 && dense[j, c] != 0 ? 1 : 0;
                }

                var cosine = ni > 0 && nj > 0 ? dot / Math.Sqrt(ni * nj) : 0;
                result[i, j] = shrink > 0 ? cosine * common / (common + shrink) : cosine;
            }
        }

        return result;
    }
}
