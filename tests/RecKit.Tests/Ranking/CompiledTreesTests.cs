using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

/// <summary>The flat-array tree scorer against ML.NET's own LightGBM scoring (the reference), and through its file.</summary>
public class CompiledTreesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CompiledTrees_ScoreAsMlNetDoes(bool lambdaRank)
    {
        var set = Synthetic(seed: 3);
        var stack = LightGbmStack.Fit(set, lambdaRank, seed: 7, trees: 40, leaves: 8, minRowsPerLeaf: 10);
        var compiled = stack.Compile();
        Assert.Equal(40, compiled.Trees);

        // Rows unlike the training ones too: outside its ranges, zeros, ties with thresholds.
        var probe = Synthetic(seed: 11, scale: 3f);
        var expected = stack.Predict(probe.Rows, probe.Count);
        var actual = compiled.Predict(probe.Rows, probe.Count);
        for (var r = 0; r < probe.Count; r++)
        {
            Assert.True(Math.Abs(expected[r] - actual[r]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[r])), $"row {r}: ML.NET {expected[r]}, compiled {actual[r]}");
        }

        // Through the bundle's side file: the same scores.
        var folder = Directory.CreateTempSubdirectory("reckit-trees-").FullName;
        try
        {
            var (kind, file) = RecKit.Bundles.MetaModelFile.Save(folder, stack, set.FeatureNames);
            var loaded = RecKit.Bundles.MetaModelFile.Load(Path.Combine(folder, file), kind, set.FeatureNames);
            Assert.Equal(actual, loaded.Predict(probe.Rows, probe.Count));
            Assert.Equal(stack.Name, loaded.Name);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>2,000 rows of five features, 20 rows a group; the label mostly follows a + b/2 (e is a small integer).</summary>
    internal static StackTrainingSet Synthetic(int seed, float scale = 1f)
    {
        var random = new Random(seed);
        const int d = 5, count = 2000;
        var rows = new float[count * d];
        var labels = new float[count];
        var groups = new uint[count];
        for (var r = 0; r < count; r++)
        {
            for (var f = 0; f < d; f++)
            {
                rows[(r * d) + f] = f == 4 ? random.Next(0, 4) : (float)(random.NextDouble() * scale);
            }

            labels[r] = rows[r * d] + (0.5f * rows[(r * d) + 1]) + (0.2f * random.NextSingle()) > 0.8f ? 1 : 0;
            groups[r] = (uint)(r / 20);
        }

        return new StackTrainingSet(rows, labels, groups, count, ["a", "b", "c", "d", "e"]);
    }
}
