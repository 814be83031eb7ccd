using RecKit.Persistence;

namespace RecKit.Ranking;

/// <summary>
/// The leaves of LightGBM's linear trees, over all trees of an ensemble in leaf order: leaf k's output is
/// <c>Constant[k] + Σ Coefficient[j] × row[Feature[j]]</c> for j in <c>Start[k]..Start[k+1]</c>.
/// </summary>
internal sealed class LinearLeaves
{
    private readonly double[] _constant;
    private readonly int[] _start;
    private readonly int[] _feature;
    private readonly double[] _coefficient;

    public LinearLeaves(double[] constant, int[] start, int[] feature, double[] coefficient)
    {
        (_constant, _start, _feature, _coefficient) = (constant, start, feature, coefficient);
    }

    /// <summary>Leaf <paramref name="leaf"/>'s output for <paramref name="row"/> (finite: meta features write 0 for a non-finite score).</summary>
    public double Output(int leaf, ReadOnlySpan<float> row)
    {
        var output = _constant[leaf];
        for (var j = _start[leaf]; j < _start[leaf + 1]; j++)
        {
            output += _coefficient[j] * row[_feature[j]];
        }

        return output;
    }

    /// <summary>The leaves of several ensembles one after another; an ensemble without linear leaves gives its constant ones.</summary>
    public static LinearLeaves Join(IEnumerable<(LinearLeaves? Linear, double[] Leaves)> members)
    {
        var (constant, start, feature, coefficient) = (new List<double>(), new List<int> { 0 }, new List<int>(), new List<double>());
        foreach (var (linear, leaves) in members)
        {
            for (var k = 0; k < leaves.Length; k++)
            {
                if (linear is null)
                {
                    constant.Add(leaves[k]);
                }
                else
                {
                    constant.Add(linear._constant[k]);
                    var (from, to) = (linear._start[k], linear._start[k + 1]);
                    feature.AddRange(linear._feature.AsSpan(from, to - from));
                    coefficient.AddRange(linear._coefficient.AsSpan(from, to - from));
                }

                start.Add(feature.Count);
            }
        }

        return new LinearLeaves([.. constant], [.. start], [.. feature], [.. coefficient]);
    }

    public void Write(ModelWriter writer)
    {
        writer.Write(_constant);
        writer.Write(_start);
        writer.Write(_feature);
        writer.Write(_coefficient);
    }

    public static LinearLeaves Read(ModelReader reader, int leaves, int features)
    {
        var constant = reader.ReadDoubleArray();
        var start = reader.ReadInt32Array();
        var feature = reader.ReadInt32Array();
        var coefficient = reader.ReadDoubleArray();
        reader.Require(constant.Length == leaves && start.Length == leaves + 1 && start[0] == 0 && start[^1] == feature.Length && coefficient.Length == feature.Length, "linear leaf sizes disagree");
        for (var k = 0; k < leaves; k++)
        {
            reader.Require(start[k] <= start[k + 1], "linear leaf offsets go backwards");
        }

        reader.Require(feature.All(f => (uint)f < (uint)features), "a linear leaf uses a feature outside the stack's");
        return new LinearLeaves(constant, start, feature, coefficient);
    }
}
