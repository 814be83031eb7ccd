using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

/// <summary>
/// What every <see cref="IMetaModel"/> promises: one finite score per row, the same scores for the same rows, each
/// row scored on its own (a subset scores as it does among the rest), positives above negatives on a learnable rule,
/// and an importance per feature.
/// </summary>
public abstract class MetaModelContract
{
    protected abstract IMetaModel Train(StackTrainingSet set);

    /// <summary>Rows of three features; the label is mostly a + b > 0 (c is noise), grouped 20 rows a user.</summary>
    protected static StackTrainingSet Set(int rows, int seed)
    {
        var noise = new Random(seed + 1000);
        return StackTests.Synthetic(rows, x => x[0] + x[1] > 0 ^ noise.NextDouble() < 0.1, seed);
    }

    [Fact]
    public void Predict_GivesOneFiniteScorePerRow_TheSameEachTime_AndEachRowOnItsOwn()
    {
        var model = Train(Set(2000, 1));
        Assert.False(string.IsNullOrEmpty(model.Name));
        var test = Set(300, 2);
        var scores = model.Predict(test.Rows, test.Count);
        Assert.Equal(test.Count, scores.Length);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        Assert.Equal(scores, model.Predict(test.Rows, test.Count));
        var part = test.Rows.AsSpan(30, 60).ToArray(); // rows 10..29
        Assert.Equal(scores.AsSpan(10, 20).ToArray(), model.Predict(part, 20));
    }

    [Fact]
    public void APositive_ScoresAboveANegative_OnALearnableRule()
    {
        var model = Train(Set(2000, 3));
        var test = Set(500, 4);
        var scores = model.Predict(test.Rows, test.Count);
        var positives = Enumerable.Range(0, test.Count).Where(r => test.Labels[r] > 0).Average(r => scores[r]);
        var negatives = Enumerable.Range(0, test.Count).Where(r => test.Labels[r] == 0).Average(r => scores[r]);
        Assert.True(positives > negatives, $"{model.Name}: positives {positives:F3} vs negatives {negatives:F3}");
    }

    [Fact]
    public void Importances_NameFeaturesOfTheSet_OnceEach()
    {
        var model = Train(Set(1000, 5));
        Assert.NotEmpty(model.Importances);
        Assert.All(model.Importances, i => Assert.Contains(i.Feature, new[] { "a", "b", "c" }));
        Assert.Equal(model.Importances.Count, model.Importances.Select(i => i.Feature).Distinct().Count());
        Assert.All(model.Importances, i => Assert.True(double.IsFinite(i.Importance) && i.Importance >= 0));
    }
}

public sealed class LogisticStackContractTests : MetaModelContract
{
    protected override IMetaModel Train(StackTrainingSet set) => LogisticStack.Fit(set, l2: 1);
}

public sealed class GBStackContractTests : MetaModelContract
{
    protected override IMetaModel Train(StackTrainingSet set) => LightGbmStack.Fit(set, lambdaRank: false, trees: 30, minRowsPerLeaf: 20);
}

public sealed class LambdaMartStackContractTests : MetaModelContract
{
    protected override IMetaModel Train(StackTrainingSet set) => LightGbmStack.Fit(set, lambdaRank: true, trees: 30, minRowsPerLeaf: 20);
}

/// <summary>Trained through LightGBM's C API, scored by the compiled linear trees.</summary>
public sealed class XeNdcgStackContractTests : MetaModelContract
{
    protected override IMetaModel Train(StackTrainingSet set) => XeNdcgStack.Fit(set, trees: 30, minRowsPerLeaf: 20);
}

/// <summary>The trees as served: compiled to flat arrays, no ML.NET.</summary>
public sealed class CompiledTreesContractTests : MetaModelContract
{
    protected override IMetaModel Train(StackTrainingSet set) => LightGbmStack.Fit(set, lambdaRank: false, trees: 30, minRowsPerLeaf: 20).Compile();
}

public sealed class SimpleAverageStackContractTests : MetaModelContract
{
    protected override IMetaModel Train(StackTrainingSet set) => SimpleAverageStack.Fit(set, ["a", "b"]);
}
