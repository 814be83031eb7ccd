using RecKit.Persistence;

namespace RecKit.Ranking;

/// <summary>
/// A LightGBM stack's trees as flat arrays, scored without ML.NET: per tree, internal nodes (split feature, threshold,
/// left and right child, a negative child ~k naming leaf k) and leaf values; the score is bias + Σ weight × leaf.
/// This is the raw score ML.NET reports as "Score" (before any calibration), so rankings are the same; it allocates
/// nothing per row and is safe from many threads. LightGbmStack (RecKit.LightGbm) keeps the ML.NET model as the reference.
/// With <see cref="LinearLeaves"/> (LightGBM's linear trees) a leaf's output is its constant plus a linear function of
/// the features split on above it. Rows are finite: <see cref="MetaFeatures"/> writes 0 for a non-finite score.
/// </summary>
public sealed class CompiledTrees : IMetaModel
{
    private readonly int[] _treeStart;   // first node of each tree
    private readonly int[] _leafStart;   // first leaf of each tree
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leaf;
    private readonly double[] _weight;
    private readonly double _bias;
    private readonly LinearLeaves? _linear;

    internal CompiledTrees(string name, int features, int[] treeStart, int[] leafStart, int[] feature, float[] threshold, int[] left, int[] right, double[] leaf, double[] weight, double bias, IReadOnlyList<(string, double)> importances, LinearLeaves? linear = null)
    {
        Name = name;
        Features = features;
        (_treeStart, _leafStart, _feature, _threshold, _left, _right, _leaf, _weight, _bias, _linear) = (treeStart, leafStart, feature, threshold, left, right, leaf, weight, bias, linear);
        Importances = importances;
    }

    /// <summary>Whether leaves are linear models (LightGBM's linear trees) rather than constants.</summary>
    public bool HasLinearLeaves => _linear is not null;

    public string Name { get; }

    public int Features { get; }

    public int Trees => _weight.Length;

    public IReadOnlyList<(string Feature, double Importance)> Importances { get; }

    public float Score(ReadOnlySpan<float> row)
    {
        var sum = _bias;
        for (var t = 0; t < _weight.Length; t++)
        {
            var start = _treeStart[t];
            var leaf = _leafStart[t]; // a single-leaf tree has no nodes
            if (_treeStart[t + 1] != start)
            {
                var node = 0;
                while (node >= 0)
                {
                    var at = start + node;
                    node = row[_feature[at]] <= _threshold[at] ? _left[at] : _right[at];
                }

                leaf += ~node;
            }

            sum += _weight[t] * (_linear is null ? _leaf[leaf] : _linear.Output(leaf, row));
        }

        return (float)sum;
    }

    public float[] Predict(float[] rows, int count)
    {
        var scores = new float[count];
        for (var r = 0; r < count; r++)
        {
            scores[r] = Score(rows.AsSpan(r * Features, Features));
        }

        return scores;
    }

    /// <summary>
    /// One ensemble scoring Σ scale[m] × (member m's score − shift[m]): the members' trees one after another, each
    /// tree's weight times its member's scale, the bias folded; linear leaves when any member has them.
    /// </summary>
    internal static CompiledTrees Join(string name, IReadOnlyList<CompiledTrees> members, IReadOnlyList<double> scale, IReadOnlyList<double> shift, IReadOnlyList<(string, double)> importances)
    {
        if (members.Count == 0 || members.Any(m => m.Features != members[0].Features) || scale.Count != members.Count || shift.Count != members.Count)
        {
            throw new ArgumentException("Trees are joined from at least one member, all over the same features, one scale and shift each.", nameof(members));
        }

        var (treeStart, leafStart) = (new List<int> { 0 }, new List<int> { 0 });
        var (feature, threshold, left, right, leaf, weight) = (new List<int>(), new List<float>(), new List<int>(), new List<int>(), new List<double>(), new List<double>());
        double bias = 0;
        for (var m = 0; m < members.Count; m++)
        {
            var member = members[m];
            var (nodes, leaves) = (feature.Count, leaf.Count);
            for (var t = 0; t < member.Trees; t++)
            {
                treeStart.Add(nodes + member._treeStart[t + 1]);
                leafStart.Add(leaves + member._leafStart[t + 1]);
                weight.Add(member._weight[t] * scale[m]);
            }

            feature.AddRange(member._feature); // children are relative to their tree: they carry over as they are
            threshold.AddRange(member._threshold);
            left.AddRange(member._left);
            right.AddRange(member._right);
            leaf.AddRange(member._leaf);
            bias += (member._bias - shift[m]) * scale[m];
        }

        var linear = members.Any(m => m.HasLinearLeaves) ? LinearLeaves.Join(members.Select(m => (m._linear, m._leaf))) : null;
        return new CompiledTrees(name, members[0].Features, [.. treeStart], [.. leafStart], [.. feature], [.. threshold], [.. left], [.. right], [.. leaf], [.. weight], bias, importances, linear);
    }

    internal void Write(ModelWriter writer)
    {
        writer.Write(Name);
        writer.Write(Features);
        writer.Write(_treeStart);
        writer.Write(_leafStart);
        writer.Write(_feature);
        writer.Write(_threshold);
        writer.Write(_left);
        writer.Write(_right);
        writer.Write(_leaf);
        writer.Write(_weight);
        writer.Write(_bias);
        _linear?.Write(writer);
    }

    /// <param name="linear">Whether the file has linear leaves after the bias (its magic says).</param>
    internal static CompiledTrees Read(ModelReader reader, IReadOnlyList<string> names, bool linear = false)
    {
        var name = reader.ReadString();
        var features = reader.ReadInt32();
        var treeStart = reader.ReadInt32Array();
        var leafStart = reader.ReadInt32Array();
        var feature = reader.ReadInt32Array();
        var threshold = reader.ReadSingleArray();
        var left = reader.ReadInt32Array();
        var right = reader.ReadInt32Array();
        var leaf = reader.ReadDoubleArray();
        var weight = reader.ReadDoubleArray();
        var bias = reader.ReadDouble();
        var nodes = feature.Length;
        reader.Require(features == names.Count, "tree stack feature count differs from the bundle's features");
        reader.Require(treeStart.Length == weight.Length + 1 && leafStart.Length == weight.Length + 1 && treeStart[^1] == nodes && leafStart[^1] == leaf.Length, "tree stack sizes disagree");
        reader.Require(threshold.Length == nodes && left.Length == nodes && right.Length == nodes && feature.All(f => (uint)f < (uint)features), "tree stack nodes disagree");
        for (var t = 0; t < weight.Length; t++)
        {
            int size = treeStart[t + 1] - treeStart[t], leaves = leafStart[t + 1] - leafStart[t];
            reader.Require(leaves == size + 1, "a tree's leaves must number its nodes plus one");
            for (var n = treeStart[t]; n < treeStart[t + 1]; n++)
            {
                reader.Require(Child(left[n], size, leaves) && Child(right[n], size, leaves), "a tree node points outside its tree");
            }
        }

        var linearLeaves = linear ? LinearLeaves.Read(reader, leaf.Length, features) : null;
        return new CompiledTrees(name, features, treeStart, leafStart, feature, threshold, left, right, leaf, weight, bias, names.Select(n => (n, 0.0)).ToList(), linearLeaves);

        static bool Child(int child, int size, int leaves) => child >= 0 ? child < size : ~child < leaves;
    }
}
