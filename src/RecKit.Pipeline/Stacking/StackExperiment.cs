using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;

namespace RecKit.Ranking;

/// <summary>One row of the offline report: a model, what it was trained on, its figures.</summary>
public sealed record ReportRow(string Model, string TrainedOn, EvaluationResult Result);

/// <summary>Everything the stacking experiment measured.</summary>
public sealed record StackReport(
    IReadOnlyList<ReportRow> Rows,
    double CandidateRecall,
    double MetaTrainCandidateRecall,
    int MetaRows,
    double MetaPositiveRate,
    IReadOnlyDictionary<string, IReadOnlyList<(string Feature, double Importance)>> Importances)
{
    /// <summary>How many base_train / meta_train splits of train_full gave the meta models their rows (<see cref="StackExperimentOptions.MetaSplits"/>).</summary>
    public int MetaSplits { get; init; } = 1;

    /// <summary>Candidate recall on test per user, averaged over users (<see cref="CandidateRows.RecallPerUser"/>); <see cref="CandidateRecall"/> pools every pair.</summary>
    public double CandidateRecallPerUser { get; init; } = double.NaN;

    /// <summary>Test users evaluated, and test users there were (fewer evaluated: a seeded sample).</summary>
    public (int Evaluated, int Of) TestUsers { get; init; }

    /// <summary>meta_train users whose candidates trained the meta models, and meta_train users there were.</summary>
    public (int Used, int Of) MetaUsers { get; init; }

    /// <summary>The fitted meta models (trained on meta_train), for a production bundle.</summary>
    public IReadOnlyList<IMetaModel> MetaModels { get; init; } = [];

    /// <summary>The candidate sources and sizes the stacks used (chosen by <see cref="CandidatePlan"/> when there is one).</summary>
    public IReadOnlyList<(string Source, int Size)> Candidates { get; init; } = [];

    /// <summary>How the candidate sizes were chosen, when they were (null: fixed sizes from the settings).</summary>
    public CandidatePlan? CandidatePlan { get; init; }

    /// <summary>The meta models' feature names, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; init; } = [];

    /// <summary>What the meta split costs the logistic and XE-NDCG stacks, when asked (<see cref="StackExperimentOptions.MeasureCeiling"/>).</summary>
    internal IReadOnlyList<StackCeiling> Ceiling { get; init; } = [];
}

/// <summary>
/// Design note 3's offline experiment on a three-way split: base models fitted on base_train; meta models trained on
/// their out-of-sample features for meta_train candidates; every base model (on base_train and, for a fair
/// comparison with stacks that saw all of train_full, also refitted on train_full), SimpleAverage4, LogisticStack,
/// GBStack, the LambdaMART stack and the XE-NDCG stack evaluated on test by the one evaluator, train_full items excluded. With <see
/// cref="StackExperimentOptions.MetaSplits"/> above 1 the meta models also learn from further splits of train_full.
/// </summary>
public static class StackExperiment
{
    /// <param name="steps">Told the fraction done of long steps (users evaluated, candidates built); null: nothing.</param>
    public static StackReport Run(ThreeWaySplit split, IReadOnlyList<(string Name, Func<Interactions, IRecommender> Fit)> baseModels, StackExperimentOptions options, IProgress<string>? progress = null, IProgress<TrainingProgress>? steps = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MetaSplits, 1);
        if (options.MetaSplits > 1 && !(options.MetaFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MetaFraction, "MetaFraction must lie between 0 and 1 for further meta splits.");
        }

        var evaluation = new EvaluationOptions { Ks = options.Ks, RelevanceThreshold = options.Threshold, ComputeAuc = false, Seed = options.Seed, Progress = steps, KeepPerUser = true }; // per user: the report tests each stack against the best single model
        var test = UserSample.Of(split.Test, options.EvaluationUsers, options.Seed);
        var metaTrain = UserSample.Of(split.MetaTrain, options.MetaUsers, options.Seed + 1);
        var testUsers = UserSample.Users(test);
        var rows = new List<ReportRow>();
        var fitted = new List<(string Name, IRecommender Model)>();
        foreach (var (name, fit) in baseModels)
        {
            progress?.Report($"fitting {name} on base_train");
            var model = fit(split.BaseTrain);
            progress?.Report($"evaluating {name} (base_train) on {testUsers.Length:N0} test users");
            fitted.Add((name, model));
            rows.Add(new ReportRow(name, "base_train", Evaluator.Evaluate(model, split.TrainFull, test, evaluation)));
        }

        var refitted = new List<(string Name, IRecommender Model)>();
        foreach (var (name, fit) in baseModels)
        {
            progress?.Report($"fitting {name} on train_full");
            var model = fit(split.TrainFull);
            progress?.Report($"evaluating {name} (train_full) on {testUsers.Length:N0} test users");
            refitted.Add((name, model));
            rows.Add(new ReportRow(name, "train_full", Evaluator.Evaluate(model, split.TrainFull, test, evaluation)));
        }

        var basePopularity = new PopularityTrainer().Fit(split.BaseTrain);
        CandidatePlan? plan = null;
        var sizes = options.Candidates;
        if (options.CandidateBudget is { } budget)
        {
            // Sizes by measured marginal recall of meta_train's relevant items (the base models saw base_train only).
            progress?.Report($"choosing candidate sizes within {budget} per user by marginal recall on meta_train");
            plan = CandidatePlanner.Plan([.. fitted, ("popularity", basePopularity)], split.BaseTrain.ByUser, split.MetaTrain, options.Threshold, budget, seed: options.Seed, always: ["popularity"]);
            sizes = plan.Sizes;
            progress?.Report($"candidates: {string.Join(", ", sizes.Select(s => $"{s.Source} {s.Size}"))} (meta_train recall {plan.Recall:P1})");
        }

        var candidates = Candidates(sizes, fitted, basePopularity);
        var features = MetaRowFeatures(fitted, split.BaseTrain, split.TrainFull, candidates);

        progress?.Report("building meta_train features");
        var baseHistory = split.BaseTrain.ByUser;
        var metaRows = CandidateRows.Build(features, candidates, baseHistory, UserSample.Users(metaTrain), progress: steps);
        var training = StackTrainingSet.Label(metaRows, metaTrain, options.Threshold);
        var metaRecall = metaRows.Recall(metaTrain, options.Threshold);
        if (options.MetaSplits > 1)
        {
            training = StackTrainingSet.Concat([training, .. FurtherMetaSplits(split, baseModels, sizes, options, progress, steps)]);
        }

        progress?.Report("training meta models");
        // LightGBM runs one thread per model (deterministic): two tree stacks train side by side, the linear ones and the third meanwhile.
        var trees = Task.Run(() => LightGbmStack.Fit(training, lambdaRank: false, options.Seed, options.Trees, options.Leaves, options.TreeLearningRate));
        var ranking = Task.Run(() => LightGbmStack.Fit(training, lambdaRank: true, options.Seed, options.Trees, options.Leaves, options.TreeLearningRate, leafL2: options.LambdaMartL2));
        var simple = SimpleAverageStack.Fit(training, options.AverageOf.Select(n => $"score_{n}").Where(training.FeatureNames.Contains).ToList());
        LogisticStack FitLogistic(StackTrainingSet set) => LogisticStack.Fit(set, options.LogisticL2, leftOut: features.FitScaledScores);
        XeNdcgStack FitListwise(StackTrainingSet set) => XeNdcgStack.Fit(set, options.Seed, options.Trees, options.Leaves, options.TreeLearningRate, leafL2: options.LambdaMartL2);
        var logistic = FitLogistic(training);
        var listwise = FitListwise(training); // LightGBM's thread count is process-wide: every fit asks for one
        var (pointwise, pairwise) = (trees.GetAwaiter().GetResult(), ranking.GetAwaiter().GetResult());
        var blend = TreeBlend.Fit("BlendStack", [pairwise, listwise], training); // no training of its own: the two ranking stacks standardised, summed (GBStack too ranked the same, README)
        var metaModels = new List<IMetaModel> { simple, logistic, pointwise, pairwise, listwise, blend };
        if (options.IncludeCandidateBaseline)
        {
            metaModels.Add(new ConstantMetaModel());
        }

        // At test time the base models are the ones refitted on train_full (the meta model learned how to combine
        // out-of-sample scores; refitting lets the scores use all known interactions, as serving would).
        var fullHistory = split.TrainFull.ByUser;
        var testCandidates = options.RefitBaseModelsForTest ? Candidates(sizes, refitted, new PopularityTrainer().Fit(split.TrainFull)) : candidates;
        var testFeatures = new MetaFeatures(options.RefitBaseModelsForTest ? refitted : fitted, split.TrainFull, sources: SourceNames(testCandidates));
        progress?.Report("building test candidates");
        var testRows = CandidateRows.Build(testFeatures, testCandidates, fullHistory, testUsers, progress: steps); // once, for every meta model
        EvaluationResult Evaluate(IMetaModel meta)
        {
            var stack = new StackRecommender(meta, testFeatures, testCandidates, fullHistory, test.UserCount, test.ItemCount);
            stack.Prepare(testRows);
            return Evaluator.Evaluate(stack, split.TrainFull, test, evaluation);
        }

        foreach (var meta in metaModels)
        {
            progress?.Report($"evaluating {meta.Name}");
            rows.Add(new ReportRow(meta.Name, "meta_train", Evaluate(meta)));
        }

        IReadOnlyList<StackCeiling> ceiling = [];
        if (options.MeasureCeiling)
        {
            progress?.Report("measuring the stacks' ceiling: fitted on test rows, two-fold over the test users (a diagnostic)");
            ceiling = StackCeiling.Measure(
                [(logistic, FitLogistic), (listwise, FitListwise)],
                training,
                StackTrainingSet.Label(testRows, test, options.Threshold),
                options.Ks[0],
                meta => Evaluate(meta).PerUser!);
        }

        return new StackReport(
            rows,
            testRows.Recall(test, options.Threshold),
            metaRecall,
            training.Count,
            training.Count == 0 ? 0 : training.Labels.Average(),
            metaModels.Where(m => m is not ConstantMetaModel).ToDictionary(m => m.Name, m => m.Importances))
        {
            MetaModels = metaModels.Where(m => m is not ConstantMetaModel).ToList(),
            FeatureNames = features.Names,
            TestUsers = (testUsers.Length, UserSample.Users(split.Test).Length),
            MetaUsers = (metaRows.Users.Length, UserSample.Users(split.MetaTrain).Length),
            Candidates = sizes,
            CandidatePlan = plan,
            CandidateRecallPerUser = testRows.RecallPerUser(test, options.Threshold),
            MetaSplits = options.MetaSplits,
            Ceiling = ceiling,
        };
    }

    /// <summary>
    /// The meta rows of each further meta split: train_full carved again with a seed of its own, the base models refitted
    /// on its base part, the planned candidates built for a sample of its held-out users and labelled by their held-out
    /// interactions. Each split's models are dropped once its rows are built.
    /// </summary>
    private static IEnumerable<StackTrainingSet> FurtherMetaSplits(ThreeWaySplit split, IReadOnlyList<(string Name, Func<Interactions, IRecommender> Fit)> baseModels, IReadOnlyList<(string Source, int Size)> sizes, StackExperimentOptions options, IProgress<string>? progress, IProgress<TrainingProgress>? steps)
    {
        for (var r = 1; r < options.MetaSplits; r++)
        {
            var seed = options.Seed + 1 + (1000 * r); // the given split's inner carve used Seed + 1
            var carve = Splitter.PerUserOrItem(split.TrainFull, options.MetaFraction, seed, options.PerItemMetaSplits);
            progress?.Report($"meta split {r + 1} of {options.MetaSplits}: fitting the base models on its base part ({carve.Train.Count:N0} interactions)");
            var models = baseModels.Select(b => (b.Name, b.Fit(carve.Train))).ToList();
            var sample = UserSample.Of(carve.Test, options.MetaUsers, seed);
            progress?.Report($"meta split {r + 1} of {options.MetaSplits}: building its meta rows");
            var candidates = Candidates(sizes, models, new PopularityTrainer().Fit(carve.Train));
            var rows = CandidateRows.Build(MetaRowFeatures(models, carve.Train, split.TrainFull, candidates), candidates, carve.Train.ByUser, UserSample.Users(sample), progress: steps);
            yield return StackTrainingSet.Label(rows, sample, options.Threshold);
        }
    }

    /// <summary>
    /// The features of meta rows whose base models saw <paramref name="part"/>: statistics (counts, means, time anchors)
    /// from that part, never from train_full, which holds the held-out interactions the rows are labelled by; the counts
    /// scaled by train_full's size over the part's, the scale of the test rows' statistics; a flag per candidate source.
    /// </summary>
    internal static MetaFeatures MetaRowFeatures(IReadOnlyList<(string Name, IRecommender Model)> models, Interactions part, Interactions full, CandidateGenerator candidates) =>
        new(models, part, countScale: part.Count == 0 ? 1 : (double)full.Count / part.Count, sources: SourceNames(candidates));

    private static string[] SourceNames(CandidateGenerator candidates) => [.. candidates.Sources.Select(s => s.Name)];

    private static CandidateGenerator Candidates(IReadOnlyList<(string Source, int Size)> sizes, IReadOnlyList<(string Name, IRecommender Model)> models, PopularityModel popularity)
    {
        var sources = new List<(string, IRecommender, int)>();
        foreach (var (source, size) in sizes)
        {
            var model = source == "popularity" ? popularity : models.FirstOrDefault(m => m.Name == source).Model;
            if (model is not null)
            {
                sources.Add((source, model, size));
            }
        }

        return new CandidateGenerator(sources);
    }
}
