namespace RecKit.Ranking;

/// <summary>
/// Tree stacks learned with different objectives (the main job blends LambdaMART's pairs and XE-NDCG's lists),
/// blended: each member's score standardised by its mean and spread over the meta rows it learned from, summed. Their
/// errors differ, so the sum ranks about as well as the better of them or a little better (README, "Source flags and the blended stack"). A sum of
/// trees is itself one ensemble (<see cref="CompiledTrees.Join"/>): a bundle serves it like any tree stack.
/// </summary>
public sealed class TreeBlend : ITreeEnsemble
{
    private readonly CompiledTrees _trees;

    private TreeBlend(CompiledTrees trees, IReadOnlyList<string> members)
    {
        _trees = trees;
        Members = members;
    }

    public string Name => _trees.Name;

    public string Kind => "blend";

    /// <summary>The blended stacks' names, in order.</summary>
    public IReadOnlyList<string> Members { get; }

    /// <summary>Each member's importances as shares of its own total, averaged over the members.</summary>
    public IReadOnlyList<(string Feature, double Importance)> Importances => _trees.Importances;

    /// <param name="training">The meta rows the members learned from: their scores there fix each one's mean and spread.</param>
    public static TreeBlend Fit(string name, IReadOnlyList<ITreeEnsemble> members, StackTrainingSet training)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(training);
        if (members.Count < 2)
        {
            throw new ArgumentException("A blend needs two tree stacks or more.", nameof(members));
        }

        var compiled = members.Select(m => m.Compile()).ToList();
        var (scale, shift) = (new double[members.Count], new double[members.Count]);
        for (var m = 0; m < members.Count; m++)
        {
            var (mean, spread) = ScoreMoments.Of(compiled[m].Predict(training.Rows, training.Count));
            (shift[m], scale[m]) = (mean, spread > 1e-12 ? 1 / spread : 0); // a constant member ranks nothing: left out
        }

        var importances = training.FeatureNames
            .Select(f => (f, members.Average(m => Share(m.Importances, f))))
            .OrderByDescending(p => p.Item2)
            .ToList();
        return new TreeBlend(CompiledTrees.Join(name, compiled, scale, shift, importances), [.. members.Select(m => m.Name)]);
    }

    public float[] Predict(float[] rows, int count) => _trees.Predict(rows, count);

    public CompiledTrees Compile() => _trees;

    private static double Share(IReadOnlyList<(string Feature, double Importance)> importances, string feature)
    {
        var total = importances.Sum(p => p.Importance);
        return total <= 0 ? 0 : importances.Where(p => p.Feature == feature).Sum(p => p.Importance) / total;
    }
}
