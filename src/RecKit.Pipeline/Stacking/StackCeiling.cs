using RecKit.Evaluation;

namespace RecKit.Ranking;

/// <summary>
/// A diagnostic of what the meta split costs a stack (bench `stack-ceiling`; never part of the main job's report): the
/// stack fitted as the run fits it (on meta rows), then fitted on the test rows themselves — the very features it ranks,
/// from the base models refitted on train_full, labelled by test — two-fold over the test users (each half ranked by a
/// stack that learned from the other half), then on the meta rows and the other half together. When learning from the
/// test distribution itself does no better, the stacking procedure is not what limits the figure: its inputs are.
/// </summary>
/// <param name="Model">The meta model measured (LogisticStack, XeNdcgStack).</param>
/// <param name="MetaTrained">NDCG@k of the stack fitted on meta rows, as the run fits it.</param>
/// <param name="TestTrained">NDCG@k of the stacks fitted on the other half of the test users' rows.</param>
/// <param name="MetaAndTestTrained">NDCG@k of the stacks fitted on meta rows and the other half's rows.</param>
/// <param name="Users">Test users averaged over.</param>
internal sealed record StackCeiling(string Model, double MetaTrained, double TestTrained, double MetaAndTestTrained, int Users)
{
    /// <summary>
    /// Measures each of <paramref name="fitted"/> (the run's own meta models) against the same kind fitted on test rows
    /// (<paramref name="labelledTest"/>: the test candidates' rows labelled by test, grouped by user).
    /// <paramref name="evaluate"/> ranks test with a meta model and gives every evaluated user's figures.
    /// </summary>
    internal static IReadOnlyList<StackCeiling> Measure(
        IReadOnlyList<(IMetaModel Fitted, Func<StackTrainingSet, IMetaModel> Fit)> fitted,
        StackTrainingSet meta,
        StackTrainingSet labelledTest,
        int k,
        Func<IMetaModel, IReadOnlyList<UserEvaluation>> evaluate)
    {
        StackTrainingSet[] halves = [Half(labelledTest, 0), Half(labelledTest, 1)];
        var metric = $"NDCG@{k}";
        var results = new List<StackCeiling>();
        foreach (var (model, fit) in fitted)
        {
            var asRun = Figures(evaluate(model), metric);
            var testTrained = new Dictionary<int, double>();
            var bothTrained = new Dictionary<int, double>();
            for (var half = 0; half < 2; half++)
            {
                var other = halves[1 - half];
                Collect(Figures(evaluate(fit(other)), metric), half, testTrained);
                Collect(Figures(evaluate(fit(StackTrainingSet.Concat([meta, other]))), metric), half, bothTrained);
            }

            results.Add(new StackCeiling(model.Name, asRun.Values.Average(), testTrained.Values.Average(), bothTrained.Values.Average(), asRun.Count));
        }

        return results;
    }

    /// <summary>Which half a test user falls in.</summary>
    internal static int HalfOf(int user) => user & 1;

    private static Dictionary<int, double> Figures(IReadOnlyList<UserEvaluation> users, string metric) =>
        users.ToDictionary(u => u.User, u => u.Metrics.First(m => m.Name == metric).Value);

    private static void Collect(Dictionary<int, double> figures, int half, Dictionary<int, double> into)
    {
        foreach (var (user, value) in figures)
        {
            if (HalfOf(user) == half)
            {
                into.Add(user, value);
            }
        }
    }

    /// <summary>The rows of one half's users (a labelled set's groups are its users), in their order.</summary>
    private static StackTrainingSet Half(StackTrainingSet set, int half)
    {
        var width = set.FeatureNames.Count;
        var kept = Enumerable.Range(0, set.Count).Where(r => HalfOf((int)set.Groups[r]) == half).ToArray();
        var rows = new float[(long)kept.Length * width];
        var labels = new float[kept.Length];
        var groups = new uint[kept.Length];
        for (var j = 0; j < kept.Length; j++)
        {
            set.Rows.AsSpan(kept[j] * width, width).CopyTo(rows.AsSpan(j * width));
            (labels[j], groups[j]) = (set.Labels[kept[j]], set.Groups[kept[j]]);
        }

        return new StackTrainingSet(rows, labels, groups, kept.Length, set.FeatureNames);
    }
}
