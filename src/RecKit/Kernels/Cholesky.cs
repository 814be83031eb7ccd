namespace RecKit.Kernels;

/// <summary>Solves a symmetric positive-definite k×k system in place by Cholesky factorisation (A = LLᵀ).</summary>
internal static class Cholesky
{
    /// <summary>Overwrites <paramref name="a"/> (row-major k×k, SPD) with L and <paramref name="b"/> with the solution x of Ax = b.</summary>
    /// <returns>False when the matrix is not positive definite (a non-positive pivot).</returns>
    public static bool Solve(Span<float> a, Span<float> b, int k)
    {
        for (var j = 0; j < k; j++)
        {
            double diagonal = a[(j * k) + j];
            for (var p = 0; p < j; p++)
            {
                diagonal -= (double)a[(j * k) + p] * a[(j * k) + p];
            }

            if (!(diagonal > 0))
            {
                return false;
            }

            var ljj = Math.Sqrt(diagonal);
            a[(j * k) + j] = (float)ljj;
            for (var i = j + 1; i < k; i++)
            {
                double sum = a[(i * k) + j];
                for (var p = 0; p < j; p++)
                {
                    sum -= (double)a[(i * k) + p] * a[(j * k) + p];
                }

                a[(i * k) + j] = (float)(sum / ljj);
            }
        }

        // Forward (Ly = b), then backward (Lᵀx = y).
        for (var i = 0; i < k; i++)
        {
            double sum = b[i];
            for (var p = 0; p < i; p++)
            {
                sum -= (double)a[(i * k) + p] * b[p];
            }

            b[i] = (float)(sum / a[(i * k) + i]);
        }

        for (var i = k - 1; i >= 0; i--)
        {
            double sum = b[i];
            for (var p = i + 1; p < k; p++)
            {
                sum -= (double)a[(p * k) + i] * b[p];
            }

            b[i] = (float)(sum / a[(i * k) + i]);
        }

        return true;
    }
}
