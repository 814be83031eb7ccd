using System.Globalization;

namespace RecKit.Ranking;

/// <summary>
/// Reads LightGBM's text model (the booster's SaveModelToString: one "Tree=" block per tree, leaves named ~k) into
/// <see cref="CompiledTrees"/>, constant or linear leaves. Leaf values in the text already carry the learning rate, so
/// every tree weighs 1 and the bias is 0. Only numerical splits without a zero-as-missing rule are accepted: RecKit's
/// meta features are numbers, never categories.
/// </summary>
internal static class LightGbmModelText
{
    public static CompiledTrees Compile(string text, string name, int features, IReadOnlyList<(string, double)> importances)
    {
        var trees = Blocks(text);
        int[] treeStart = new int[trees.Count + 1], leafStart = new int[trees.Count + 1];
        List<int> feature = [], left = [], right = [], linearStart = [0], linearFeature = [];
        List<float> threshold = [];
        List<double> leaves = [], constants = [], coefficients = [];
        var linear = trees.Count > 0 && trees.All(t => t.Fields.TryGetValue("is_linear", out var v) && v == "1");
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var count = Ints(tree, "num_leaves", 1)[0];
            var values = Doubles(tree, "leaf_value", count);
            if (count > 1)
            {
                var splits = Ints(tree, "split_feature", count - 1);
                var decisions = Ints(tree, "decision_type", count - 1);
                var cuts = Doubles(tree, "threshold", count - 1);
                for (var n = 0; n < count - 1; n++)
                {
                    // Bit 0: categorical; bits 2-3: the missing-value rule (0 none, 1 zero, 2 NaN). A zero rule would send 0 to the default side.
                    if ((decisions[n] & 1) != 0 || ((decisions[n] >> 2) & 3) == 1)
                    {
                        throw new InvalidOperationException($"LightGBM tree {t} node {n} has a decision RecKit does not score (type {decisions[n]}).");
                    }

                    if ((uint)splits[n] >= (uint)features)
                    {
                        throw new InvalidOperationException($"LightGBM tree {t} splits on feature {splits[n]} of {features}.");
                    }

                    threshold.Add(FloatAtMost(cuts[n]));
                }

                feature.AddRange(splits);
                left.AddRange(Ints(tree, "left_child", count - 1));
                right.AddRange(Ints(tree, "right_child", count - 1));
            }

            leaves.AddRange(values);
            if (linear)
            {
                constants.AddRange(Doubles(tree, "leaf_const", count));
                var sizes = Ints(tree, "num_features", count);
                var total = sizes.Sum();
                var used = Ints(tree, "leaf_features", total);
                var weights = Doubles(tree, "leaf_coeff", total);
                if (used.Any(f => (uint)f >= (uint)features))
                {
                    throw new InvalidOperationException($"LightGBM tree {t} has a linear leaf on a feature outside the stack's {features}.");
                }

                linearFeature.AddRange(used);
                coefficients.AddRange(weights);
                foreach (var size in sizes)
                {
                    linearStart.Add(linearStart[^1] + size);
                }
            }

            treeStart[t + 1] = feature.Count;
            leafStart[t + 1] = leaves.Count;
        }

        var linearLeaves = linear ? new LinearLeaves([.. constants], [.. linearStart], [.. linearFeature], [.. coefficients]) : null;
        return new CompiledTrees(name, features, treeStart, leafStart, [.. feature], [.. threshold], [.. left], [.. right], [.. leaves], [.. Enumerable.Repeat(1.0, trees.Count)], 0, importances, linearLeaves);
    }

    /// <summary>The largest float at or below <paramref name="value"/>: for a float x, x ≤ it exactly when x ≤ the double LightGBM compares with.</summary>
    internal static float FloatAtMost(double value)
    {
        var rounded = (float)value;
        return rounded > value ? MathF.BitDecrement(rounded) : rounded;
    }

    private static List<Tree> Blocks(string text)
    {
        var trees = new List<Tree>();
        Dictionary<string, string>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("Tree=", StringComparison.Ordinal))
            {
                current = [];
                trees.Add(new Tree(trees.Count, current));
            }
            else if (line == "end of trees")
            {
                break;
            }
            else if (current is not null && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var at)
            {
                current[line[..at]] = line[(at + 1)..];
            }
        }

        return trees;
    }

    private static string[] Tokens(Tree tree, string key, int expected)
    {
        var tokens = expected == 0 ? [] : (tree.Fields.TryGetValue(key, out var line) ? line : "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length != expected)
        {
            throw new InvalidOperationException($"LightGBM tree {tree.Index}: {key} has {tokens.Length} values, {expected} expected.");
        }

        return tokens;
    }

    private static int[] Ints(Tree tree, string key, int expected) =>
        Array.ConvertAll(Tokens(tree, key, expected), t => int.Parse(t, CultureInfo.InvariantCulture));

    private static double[] Doubles(Tree tree, string key, int expected) =>
        Array.ConvertAll(Tokens(tree, key, expected), t => double.Parse(t, CultureInfo.InvariantCulture));

    /// <summary>One "Tree=" block: its index and its key=value lines.</summary>
    private sealed record Tree(int Index, Dictionary<string, string> Fields);
}
