using RecKit.Bundles;
using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

/// <summary>The blend of tree stacks against its plain definition, through its bundle file, and as a meta model.</summary>
public sealed class TreeBlendTests
{
    private static (TreeBlend Blend, ITreeEnsemble[] Members) Fit(StackTrainingSet set)
    {
        ITreeEnsemble[] members = [LightGbmStack.Fit(set, lambdaRank: false, trees: 30, minRowsPerLeaf: 10), XeNdcgStack.Fit(set, seed: 7, trees: 30, minRowsPerLeaf: 10)];
        return (TreeBlend.Fit("BlendStack", members, set), members);
    }

    [Fact]
    public void Scores_AreTheSumOfTheMembersScoresStandardisedOnTheTrainingRows()
    {
        var set = CompiledTreesTests.Synthetic(seed: 3);
        var (blend, members) = Fit(set);
        Assert.Equal(["GBStack", "XeNdcgStack"], blend.Members);
        Assert.True(blend.Compile().HasLinearLeaves); // XE-NDCG's leaves are linear, GBStack's constant: both kinds joined

        // The plain reference: each member's own scores, its mean and spread over the training rows in doubles.
        var probe = CompiledTreesTests.Synthetic(seed: 11, scale: 3f);
        var expected = new double[probe.Count];
        foreach (var member in members)
        {
            var train = member.Predict(set.Rows, set.Count).Select(v => (double)v).ToArray();
            var (mean, spread) = (train.Average(), Math.Sqrt(train.Average(v => v * v) - (train.Average() * train.Average())));
            var scores = member.Predict(probe.Rows, probe.Count);
            for (var r = 0; r < probe.Count; r++)
            {
                expected[r] += (scores[r] - mean) / spread;
            }
        }

        var actual = blend.Predict(probe.Rows, probe.Count);
        for (var r = 0; r < probe.Count; r++)
        {
            Assert.True(Math.Abs(expected[r] - actual[r]) <= 1e-3 * Math.Max(1, Math.Abs(expected[r])), $"row {r}: {expected[r]} expected, {actual[r]} blended");
        }
    }

    [Fact]
    public void RoundTripsThroughItsBundleFile()
    {
        var set = CompiledTreesTests.Synthetic(seed: 5);
        var (blend, _) = Fit(set);
        var probe = CompiledTreesTests.Synthetic(seed: 13);
        var folder = Directory.CreateTempSubdirectory("reckit-blend-").FullName;
        try
        {
            var (kind, file) = MetaModelFile.Save(folder, blend, set.FeatureNames);
            Assert.Equal("blend", kind);
            var loaded = MetaModelFile.Load(Path.Combine(folder, file), kind, set.FeatureNames);
            Assert.Equal("BlendStack", loaded.Name);
            Assert.Equal(blend.Predict(probe.Rows, probe.Count), loaded.Predict(probe.Rows, probe.Count));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void OneMember_IsRefused()
    {
        var set = CompiledTreesTests.Synthetic(seed: 3);
        var error = Assert.Throws<ArgumentException>(() => TreeBlend.Fit("BlendStack", [XeNdcgStack.Fit(set, trees: 5, minRowsPerLeaf: 10)], set));
        Assert.Contains("two tree stacks", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The blend as a meta model: a pointwise and a listwise stack blended.</summary>
public sealed class TreeBlendContractTests : MetaModelContract
{
    protected override IMetaModel Train(StackTrainingSet set) =>
        TreeBlend.Fit("BlendStack", [LightGbmStack.Fit(set, lambdaRank: false, trees: 30, minRowsPerLeaf: 20), XeNdcgStack.Fit(set, trees: 30, minRowsPerLeaf: 20)], set);
}
