using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RecKit.Kernels;

/// <summary>
/// Dense scoring s[u, i] = x_u · y_i + b_i for a block of users against every item. Item tiles are walked in
/// the outer loop so each tile (64 items × k factors) is read from memory once per block of users and then
/// served from L1; the inner kernel keeps 64 item scores in vector registers and broadcasts one user factor
/// at a time (a fused multiply-add per factor per 8 or 16 items).
/// </summary>
internal static class FactorScoring
{
    /// <summary>Scores each of the users in <paramref name="userFactors"/> (rows × k) against every item.</summary>
    /// <param name="scores">Rows × ItemCount, row-major.</param>
    public static void ScoreBlock(ReadOnlySpan<float> userFactors, PackedItemFactors items, Span<float> scores)
    {
        var k = items.Factors;
        var rows = k == 0 ? 0 : userFactors.Length / k;
        if (scores.Length < rows * items.ItemCount)
        {
            throw new ArgumentException("The score buffer is smaller than users × items.");
        }

        Span<float> tileScores = stackalloc float[2 * PackedItemFactors.TileWidth];
        for (var t = 0; t < items.Tiles; t++)
        {
            var tile = items.Tile(t);
            var bias = items.TileBias(t);
            var first = t * PackedItemFactors.TileWidth;
            var width = Math.Min(PackedItemFactors.TileWidth, items.ItemCount - first);
            var r = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                // Two users per pass share every tile load.
                for (; r + 1 < rows; r += 2)
                {
                    ScoreTilePair512(userFactors.Slice(r * k, k), userFactors.Slice((r + 1) * k, k), tile, bias, tileScores);
                    tileScores[..width].CopyTo(scores.Slice((r * items.ItemCount) + first, width));
                    tileScores.Slice(PackedItemFactors.TileWidth, width).CopyTo(scores.Slice(((r + 1) * items.ItemCount) + first, width));
                }
            }

            for (; r < rows; r++)
            {
                ScoreTile(userFactors.Slice(r * k, k), tile, bias, tileScores);
                tileScores[..width].CopyTo(scores.Slice((r * items.ItemCount) + first, width));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreTilePair512(ReadOnlySpan<float> x, ReadOnlySpan<float> z, ReadOnlySpan<float> tile, ReadOnlySpan<float> bias, Span<float> output)
    {
        const int w = PackedItemFactors.TileWidth;
        ref var t = ref MemoryMarshal.GetReference(tile);
        ref var o = ref MemoryMarshal.GetReference(output);
        ref var b = ref MemoryMarshal.GetReference(bias);
        var a0 = Vector512.LoadUnsafe(ref b, 0);
        var a1 = Vector512.LoadUnsafe(ref b, 16);
        var a2 = Vector512.LoadUnsafe(ref b, 32);
        var a3 = Vector512.LoadUnsafe(ref b, 48);
        var c0 = a0;
        var c1 = a1;
        var c2 = a2;
        var c3 = a3;
        for (var f = 0; f < x.Length; f++)
        {
            var s = Vector512.Create(x[f]);
            var q = Vector512.Create(z[f]);
            var row = (nuint)(f * w);
            var t0 = Vector512.LoadUnsafe(ref t, row);
            var t1 = Vector512.LoadUnsafe(ref t, row + 16);
            var t2 = Vector512.LoadUnsafe(ref t, row + 32);
            var t3 = Vector512.LoadUnsafe(ref t, row + 48);
            a0 = Vector512.FusedMultiplyAdd(s, t0, a0);
            a1 = Vector512.FusedMultiplyAdd(s, t1, a1);
            a2 = Vector512.FusedMultiplyAdd(s, t2, a2);
            a3 = Vector512.FusedMultiplyAdd(s, t3, a3);
            c0 = Vector512.FusedMultiplyAdd(q, t0, c0);
            c1 = Vector512.FusedMultiplyAdd(q, t1, c1);
            c2 = Vector512.FusedMultiplyAdd(q, t2, c2);
            c3 = Vector512.FusedMultiplyAdd(q, t3, c3);
        }

        a0.StoreUnsafe(ref o, 0);
        a1.StoreUnsafe(ref o, 16);
        a2.StoreUnsafe(ref o, 32);
        a3.StoreUnsafe(ref o, 48);
        c0.StoreUnsafe(ref o, w);
        c1.StoreUnsafe(ref o, w + 16);
        c2.StoreUnsafe(ref o, w + 32);
        c3.StoreUnsafe(ref o, w + 48);
    }

    /// <summary>The 64 scores of one tile of <paramref name="items"/> for one user (bias + query · factors; lanes past the last item are 0).</summary>
    public static void ScoreTileOf(ReadOnlySpan<float> user, PackedItemFactors items, int tile, Span<float> scores) =>
        ScoreTile(user, items.Tile(tile), items.TileBias(tile), scores);

    /// <summary>One user against every item.</summary>
    public static void ScoreAll(ReadOnlySpan<float> user, PackedItemFactors items, Span<float> scores) =>
        ScoreBlock(user, items, scores);

    /// <summary>64 scores: bias + Σ_f x[f]·tile[f, 0..63].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreTile(ReadOnlySpan<float> x, ReadOnlySpan<float> tile, ReadOnlySpan<float> bias, Span<float> output)
    {
        const int w = PackedItemFactors.TileWidth;
        ref var t = ref MemoryMarshal.GetReference(tile);
        ref var o = ref MemoryMarshal.GetReference(output);
        ref var b = ref MemoryMarshal.GetReference(bias);
        if (Vector512.IsHardwareAccelerated)
        {
            var a0 = Vector512.LoadUnsafe(ref b, 0);
            var a1 = Vector512.LoadUnsafe(ref b, 16);
            var a2 = Vector512.LoadUnsafe(ref b, 32);
            var a3 = Vector512.LoadUnsafe(ref b, 48);
            for (var f = 0; f < x.Length; f++)
            {
                var s = Vector512.Create(x[f]);
                var row = (nuint)(f * w);
                a0 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref t, row), a0);
                a1 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref t, row + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref t, row + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref t, row + 48), a3);
            }

            a0.StoreUnsafe(ref o, 0);
            a1.StoreUnsafe(ref o, 16);
            a2.StoreUnsafe(ref o, 32);
            a3.StoreUnsafe(ref o, 48);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var a0 = Vector256.LoadUnsafe(ref b, 0);
            var a1 = Vector256.LoadUnsafe(ref b, 8);
            var a2 = Vector256.LoadUnsafe(ref b, 16);
            var a3 = Vector256.LoadUnsafe(ref b, 24);
            var a4 = Vector256.LoadUnsafe(ref b, 32);
            var a5 = Vector256.LoadUnsafe(ref b, 40);
            var a6 = Vector256.LoadUnsafe(ref b, 48);
            var a7 = Vector256.LoadUnsafe(ref b, 56);
            for (var f = 0; f < x.Length; f++)
            {
                var s = Vector256.Create(x[f]);
                var row = (nuint)(f * w);
                a0 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref t, row), a0);
                a1 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref t, row + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref t, row + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref t, row + 24), a3);
                a4 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref t, row + 32), a4);
                a5 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref t, row + 40), a5);
                a6 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref t, row + 48), a6);
                a7 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref t, row + 56), a7);
            }

            a0.StoreUnsafe(ref o, 0);
            a1.StoreUnsafe(ref o, 8);
            a2.StoreUnsafe(ref o, 16);
            a3.StoreUnsafe(ref o, 24);
            a4.StoreUnsafe(ref o, 32);
            a5.StoreUnsafe(ref o, 40);
            a6.StoreUnsafe(ref o, 48);
            a7.StoreUnsafe(ref o, 56);
        }
        else
        {
            for (var i = 0; i < w; i++)
            {
                var sum = bias[i];
                for (var f = 0; f < x.Length; f++)
                {
                    sum += x[f] * tile[(f * w) + i];
                }

                output[i] = sum;
            }
        }
    }
}
