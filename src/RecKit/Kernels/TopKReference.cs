namespace RecKit.Kernels;

/// <summary>Plain full-sort reference for <see cref="TopK"/>; tests check the two agree.</summary>
internal static class TopKReference
{
    public static int[] Select(ReadOnlySpan<float> scores, int k)
    {
        var eligible = new List<int>();
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] > float.NegativeInfinity)
            {
                eligible.Add(i);
            }
        }

        var copy = scores.ToArray();
        eligible.Sort((a, b) => copy[b] != copy[a] ? copy[b].CompareTo(copy[a]) : a.CompareTo(b));
        return eligible.Take(k).ToArray();
    }
}
