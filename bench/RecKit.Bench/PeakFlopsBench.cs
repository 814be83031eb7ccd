using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RecKit.Bench;

/// <summary>
/// The machine's single-precision peak as code can reach it: every thread runs independent chains of fused multiply-adds
/// in the widest vectors the JIT offers (24 chains, enough to cover the FMA latency on two pipes), nothing loaded or
/// stored. The denominator for "share of peak" figures (EASE's inversion). Args: [THREADS] [SECONDS].
/// </summary>
internal static class PeakFlopsBench
{
    public static int Run(string[] args)
    {
        var threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
        const long Rounds = 1 << 20;
        for (var run = 1; run <= 3; run++)
        {
            long calls = 0;
            var clock = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
            {
                var sink = 0f;
                while (clock.Elapsed.TotalSeconds < seconds)
                {
                    sink += lanes == 16 ? Chains512(Rounds) : Chains256(Rounds);
                    Interlocked.Increment(ref calls);
                }

                GC.KeepAlive(sink);
            });
            var flops = calls * Rounds * 24.0 * lanes * 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run}: {flops / clock.Elapsed.TotalSeconds / 1e9:F1} GFLOP/s ({threads} threads, {lanes * 32}-bit FMA)"));
        }

        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(long rounds)
    {
        var m = Vector512.Create(0.999999f);
        var a = Vector512.Create(1e-7f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        Vector512<float> c16 = default, c17 = default, c18 = default, c19 = default, c20 = default, c21 = default, c22 = default, c23 = default;
        for (long r = 0; r < rounds; r++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a); c2 = Vector512.FusedMultiplyAdd(c2, m, a);
            c3 = Vector512.FusedMultiplyAdd(c3, m, a); c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a); c8 = Vector512.FusedMultiplyAdd(c8, m, a);
            c9 = Vector512.FusedMultiplyAdd(c9, m, a); c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
            c12 = Vector512.FusedMultiplyAdd(c12, m, a); c13 = Vector512.FusedMultiplyAdd(c13, m, a); c14 = Vector512.FusedMultiplyAdd(c14, m, a);
            c15 = Vector512.FusedMultiplyAdd(c15, m, a); c16 = Vector512.FusedMultiplyAdd(c16, m, a); c17 = Vector512.FusedMultiplyAdd(c17, m, a);
            c18 = Vector512.FusedMultiplyAdd(c18, m, a); c19 = Vector512.FusedMultiplyAdd(c19, m, a); c20 = Vector512.FusedMultiplyAdd(c20, m, a);
            c21 = Vector512.FusedMultiplyAdd(c21, m, a); c22 = Vector512.FusedMultiplyAdd(c22, m, a); c23 = Vector512.FusedMultiplyAdd(c23, m, a);
        }

        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15 + c16 + c17 + c18 + c19 + c20 + c21 + c22 + c23;
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(long rounds)
    {
        var m = Vector256.Create(0.999999f);
        var a = Vector256.Create(1e-7f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector256<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        Vector256<float> c16 = default, c17 = default, c18 = default, c19 = default, c20 = default, c21 = default, c22 = default, c23 = default;
        for (long r = 0; r < rounds; r++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a); c2 = Vector256.FusedMultiplyAdd(c2, m, a);
            c3 = Vector256.FusedMultiplyAdd(c3, m, a); c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a); c8 = Vector256.FusedMultiplyAdd(c8, m, a);
            c9 = Vector256.FusedMultiplyAdd(c9, m, a); c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
            c12 = Vector256.FusedMultiplyAdd(c12, m, a); c13 = Vector256.FusedMultiplyAdd(c13, m, a); c14 = Vector256.FusedMultiplyAdd(c14, m, a);
            c15 = Vector256.FusedMultiplyAdd(c15, m, a); c16 = Vector256.FusedMultiplyAdd(c16, m, a); c17 = Vector256.FusedMultiplyAdd(c17, m, a);
            c18 = Vector256.FusedMultiplyAdd(c18, m, a); c19 = Vector256.FusedMultiplyAdd(c19, m, a); c20 = Vector256.FusedMultiplyAdd(c20, m, a);
            c21 = Vector256.FusedMultiplyAdd(c21, m, a); c22 = Vector256.FusedMultiplyAdd(c22, m, a); c23 = Vector256.FusedMultiplyAdd(c23, m, a);
        }

        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15 + c16 + c17 + c18 + c19 + c20 + c21 + c22 + c23;
        return Vector256.Sum(sum);
    }
}
