namespace RecKit.Data.Demo;

/// <summary>The random draws the generated catalogues share (each takes exactly the draws of the loops it replaced, so a seed gives the same files).</summary>
internal static class DemoDraws
{
    /// <summary>A standard normal draw (Box–Muller, two uniforms).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>An index drawn with probability ∝ its weight (<paramref name="total"/> their sum), by one uniform.</summary>
    public static int Weighted(Random random, double[] weights, double total)
    {
        var target = random.NextDouble() * total;
        var p = 0;
        for (; p < weights.Length - 1 && target > weights[p]; p++)
        {
            target -= weights[p];
        }

        return p;
    }

    /// <summary>A mask over <paramref name="count"/> places, true at <paramref name="indices"/> (the playable items, for the true weights).</summary>
    public static bool[] Mask(int count, int[] indices)
    {
        var mask = new bool[count];
        foreach (var i in indices)
        {
            mask[i] = true;
        }

        return mask;
    }
}
