using RecKit.Bundles;
using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

/// <summary>
/// LightGBM's text model compiled into RecKit's trees, against LightGBM's own scoring of the same booster (the
/// reference): constant and linear leaves, ranking and binary objectives, rows inside and far outside the training
/// ranges; then through the bundle's side file.
/// </summary>
public class LightGbmModelTextTests
{
    [Theory]
    [InlineData("objective=rank_xendcg linear_tree=true linear_lambda=1", true)]
    [InlineData("objective=rank_xendcg", false)]
    [InlineData("objective=lambdarank linear_tree=true linear_lambda=0.1", true)]
    [InlineData("objective=binary", false)]
    public void CompiledTrees_ScoreAsLightGbmDoes(string objective, bool linear)
    {
        var set = CompiledTreesTests.Synthetic(seed: 3);
        using var booster = NativeLightGbm.Train(set.Rows, set.Count, 5, set.Labels, XeNdcgStack.GroupSizes(set.Groups, set.Count), $"{objective} num_leaves=8 min_data_in_leaf=10 learning_rate=0.1 num_threads=1 deterministic=true seed=7 verbosity=-1", 40);
        var compiled = LightGbmModelText.Compile(booster.ModelText(), "test", 5, []);
        Assert.Equal(40, compiled.Trees);
        Assert.Equal(linear, compiled.HasLinearLeaves);

        var probe = CompiledTreesTests.Synthetic(seed: 11, scale: 3f);
        var expected = booster.PredictRaw(probe.Rows, probe.Count);
        var actual = compiled.Predict(probe.Rows, probe.Count);
        var spread = expected.Max() - expected.Min();
        Assert.True(spread > 0.1, $"the trees score every row alike ({spread})");
        for (var r = 0; r < probe.Count; r++)
        {
            Assert.True(Math.Abs(expected[r] - actual[r]) <= 1e-4 * Math.Max(1, Math.Abs(expected[r])), $"row {r}: LightGBM {expected[r]}, compiled {actual[r]}");
        }
    }

    [Theory]
    [InlineData("decision_type=2", "decision_type=3", "node 0 has a decision RecKit does not score (type 3)")] // categorical
    [InlineData("decision_type=2", "decision_type=6", "node 0 has a decision RecKit does not score (type 6)")] // zero as missing
    [InlineData("leaf_value=", "leaf_value=1 ", "leaf_value has")] // one value too many
    public void AModelRecKitCannotScoreExactly_IsRefused_NamingWhere(string key, string replacement, string message)
    {
        var set = CompiledTreesTests.Synthetic(seed: 3);
        using var booster = NativeLightGbm.Train(set.Rows, set.Count, 5, set.Labels, XeNdcgStack.GroupSizes(set.Groups, set.Count), "objective=rank_xendcg num_leaves=4 min_data_in_leaf=10 num_threads=1 deterministic=true seed=7 verbosity=-1", 3);
        var text = booster.ModelText();
        var at = text.IndexOf(key, StringComparison.Ordinal);
        Assert.True(at > 0, $"{key} not in the model text");
        var damaged = text[..at] + replacement + text[(at + key.Length)..];
        var error = Assert.Throws<InvalidOperationException>(() => LightGbmModelText.Compile(damaged, "test", 5, []));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Matches(@"^LightGBM tree \d+", error.Message);
    }

    [Fact]
    public void AThreshold_BecomesTheLargestFloatAtOrBelowIt()
    {
        var threshold = 0.1; // not a float: (float)0.1 lies above it
        var below = LightGbmModelText.FloatAtMost(threshold);
        Assert.True(below <= threshold);
        Assert.True(MathF.BitIncrement(below) > threshold);
        Assert.Equal(0.5f, LightGbmModelText.FloatAtMost(0.5));
    }

    [Fact]
    public void TheXeNdcgStack_RoundTripsThroughItsBundleFile_AndADamagedOneIsRefused()
    {
        var set = CompiledTreesTests.Synthetic(seed: 3);
        var stack = XeNdcgStack.Fit(set, seed: 7, trees: 30, minRowsPerLeaf: 10);
        Assert.True(stack.Compile().HasLinearLeaves);
        var probe = CompiledTreesTests.Synthetic(seed: 11, scale: 3f);
        var folder = Directory.CreateTempSubdirectory("reckit-xendcg-").FullName;
        try
        {
            var (kind, file) = MetaModelFile.Save(folder, stack, set.FeatureNames);
            Assert.Equal("xendcg", kind);
            var path = Path.Combine(folder, file);
            var loaded = MetaModelFile.Load(path, kind, set.FeatureNames);
            Assert.Equal(stack.Predict(probe.Rows, probe.Count), loaded.Predict(probe.Rows, probe.Count));
            Assert.Equal("XeNdcgStack", loaded.Name);

            // The linear part cut short: refused with the file named, never scored.
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^12]);
            var error = Assert.ThrowsAny<Exception>(() => MetaModelFile.Load(path, kind, set.FeatureNames));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void GroupSizes_AreTheRunsOfEqualGroups()
    {
        Assert.Equal([2, 3, 1], XeNdcgStack.GroupSizes([7, 7, 2, 2, 2, 7], 6));
        Assert.Equal([2], XeNdcgStack.GroupSizes([1, 1, 5], 2));
    }
}
