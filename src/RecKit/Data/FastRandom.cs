namespace RecKit.Data;

/// <summary>
/// A small seeded generator (xoshiro128**) held by value, one per thread in the parallel trainers: no locking,
/// no allocation, and the same seed gives the same stream.
/// </summary>
internal struct FastRandom
{
    private uint _s0;
    private uint _s1;
    private uint _s2;
    private uint _s3;

    public FastRandom(ulong seed)
    {
        // SplitMix64 spreads any seed (0 included) over the four state words.
        var x = seed;
        ulong Next()
        {
            x += 0x9E3779B97F4A7C15UL;
            var z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        var a = Next();
        var b = Next();
        _s0 = (uint)a;
        _s1 = (uint)(a >> 32);
        _s2 = (uint)b;
        _s3 = (uint)(b >> 32) | 1;
    }

    /// <summary>
    /// A seed derived from several numbers (seed, epoch, thread), the same in every process — unlike
    /// HashCode.Combine, whose hash is randomised per process and would break run-to-run reproducibility.
    /// </summary>
    public static int DeriveSeed(int seed, int a, int b = 0)
    {
        var x = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)a * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)b * 0xC2B2AE3D27D4EB4FUL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return (int)(x ^ (x >> 31));
    }

    public uint NextUInt()
    {
        var result = uint.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = uint.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>Uniform in 0..n-1 (multiply-shift; bias below 2^-32·n).</summary>
    public int Next(int n) => (int)(((ulong)NextUInt() * (uint)n) >> 32);

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt() >> 8) * (1f / (1 << 24));

    /// <summary>Standard normal by Box–Muller.</summary>
    public float NextGaussian()
    {
        var u1 = 1f - NextFloat();
        var u2 = NextFloat();
        return MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(2f * MathF.PI * u2);
    }

    /// <summary>Fills with N(0, std²) draws.</summary>
    public void FillGaussian(Span<float> values, float std)
    {
        for (var j = 0; j < values.Length; j++)
        {
            values[j] = std * NextGaussian();
        }
    }
}
