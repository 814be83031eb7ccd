using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Kernels;

/// <summary>The rows of a dense row-major matrix most similar (cosine) to one of its rows: "similar items" of embedding models.</summary>
internal static class DenseCosine
{
    public static (int[] Rows, float[] Similarities) MostSimilar(ReadOnlySpan<float> rows, int width, int row, int k)
    {
        var count = rows.Length / width;
        var target = rows.Slice(row * width, width);
        var norm = Norm(target);
        if (norm == 0)
        {
            return ([], []); // a zero vector (an item no one chose) is like nothing: a cosine of 0 with every item says nothing
        }

        var scores = new float[count];
        for (var i = 0; i < count; i++)
        {
            var other = rows.Slice(i * width, width);
            var denominator = norm * Norm(other);
            scores[i] = denominator > 0 ? Dot(target, other) / denominator : 0;
        }

        scores[row] = float.NegativeInfinity;
        var top = new int[Math.Min(k, count)];
        var similarities = new float[top.Length];
        var n = TopK.Select(scores, top.Length, top, similarities);
        return (top[..n], similarities[..n]);
    }
}
