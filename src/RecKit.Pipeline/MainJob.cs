using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Ranking;
using RecKit.Bundles;
using RecKit.Training;
using RecKit.Tuning;

namespace RecKit.Pipeline;

/// <summary>
/// Design note 4's flow, with design note 3's stack, as one run: EDA figures → base models and stacks on the three-way
/// split → report (Markdown, JSON, charts) → the two-tower cold-start experiment → the production model on all
/// data → recommendations.json (top-N per user, seen items excluded, with titles).
/// </summary>
public sealed class MainJob(MainJobSettings settings, IMainJobReports reports, IServedBundleLoader served, IProgress<string> progress, MainJob.Retraining? retraining = null)
{
    private readonly Action<string> say = progress.Report;

    /// <summary>Also measure what the meta split costs the stacks (<see cref="StackCeiling"/>; bench `stack-ceiling`).</summary>
    internal bool MeasureStackCeiling { get; init; }

    /// <summary>Fractions of long steps (epochs, users evaluated, candidates built), when the progress sink takes them too (a progress bar).</summary>
    private readonly IProgress<TrainingProgress>? _steps = progress as IProgress<TrainingProgress>;

    /// <summary>What reckit retrain adds: the interactions the service ingested (all of them) and the last store row id among them.</summary>
    public sealed record Retraining(IReadOnlyList<IngestedInteraction> Interactions, long Through, IReadOnlySet<string>? ErasedUsers = null, long ErasuresThrough = 0, IReadOnlySet<string>? DeletedItems = null)
    {
        /// <summary>Items added or updated through the service.</summary>
        public IReadOnlyList<FeatureUpdate> ItemUpdates { get; init; } = [];

        /// <summary>Users' features set through the service.</summary>
        public IReadOnlyList<FeatureUpdate> UserUpdates { get; init; } = [];
    }

    private Catalogue _catalogue = null!;
    private float? _relevance;
    private readonly Dictionary<string, ModelSpec> _specs = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A model's typed options, read once from the settings (validated before any data was read).</summary>
    private ModelSpec Spec(string name)
    {
        if (!_specs.TryGetValue(name, out var spec))
        {
            spec = _specs[name] = settings.Spec(name);
        }

        return spec;
    }

    /// <summary>What every model is fitted from: the catalogue's features and relevance rule around the given interactions.</summary>
    private ModelInputs Inputs(Interactions train, CancellationToken cancellation, CsrMatrix? itemFeatures = null) => new(train)
    {
        ItemFeatures = itemFeatures ?? _catalogue.ItemFeatures?.Values,
        UserFeatures = _catalogue.UserFeatures?.Values,
        Tags = _catalogue.Tags?.Values,
        Relevance = _relevance,
        Context = new TrainingContext { Cancellation = cancellation, Progress = _steps },
        Judge = EvaluatorJudge.Instance,
    };

    /// <summary>Whether the catalogue has what the model needs (a content model needs item features, tags a tags file).</summary>
    private bool Available(string name) => Missing(name) is null;

    /// <summary>What the catalogue lacks that the model needs, or null.</summary>
    private string? Missing(string name) => ModelDefinitions.Get(name).Needs switch
    {
        var needs when needs.HasFlag(ModelNeeds.ItemFeatures) && _catalogue.ItemFeatures is null => "item features",
        var needs when needs.HasFlag(ModelNeeds.Tags) && _catalogue.Tags is null => "tags",
        var needs when needs.HasFlag(ModelNeeds.UserFeatures) && _catalogue.UserFeatures is null => "user features",
        var needs when needs.HasFlag(ModelNeeds.Timestamps) && !_catalogue.Data.HasTimestamps => "timestamps",
        _ => null,
    };

    public MainJobResult Run(CancellationToken cancellation)
    {
        var stages = new StageTimes();
        var output = settings.Output;
        say($"loading {settings.Data.Path} ({settings.Data.Format}, values: {settings.Data.Values})");
        _catalogue = Catalogue.Load(settings.Data);
        if (retraining is not null)
        {
            var (merged, added, skipped) = CatalogueWithIngested.Add(_catalogue, retraining.Interactions, retraining.ErasedUsers, retraining.DeletedItems, retraining.ItemUpdates, retraining.UserUpdates);
            _catalogue = merged;
            if (retraining.ErasedUsers is { Count: > 0 } erased)
            {
                say($"{erased.Count:N0} users erased by the service are left out of the original data");
            }

            if (retraining.ItemUpdates.Count + retraining.UserUpdates.Count > 0)
            {
                say($"{retraining.ItemUpdates.Count:N0} items added or updated and {retraining.UserUpdates.Count:N0} users' features set by the service are taken in");
            }

            if (retraining.DeletedItems is { Count: > 0 } deleted)
            {
                say($"{deleted.Count:N0} items deleted from the catalogue by the service are left out");
            }
            say($"retraining with {added:N0} interactions ingested by the service (through row {retraining.Through:N0}){(skipped > 0 ? $"; {skipped:N0} of items not in the catalogue skipped" : string.Empty)}");
        }

        _relevance = settings.Evaluation.AllRelevant ? null : _catalogue.Relevance(settings.Evaluation.Threshold);
        foreach (var note in _catalogue.Notes)
        {
            say(note);
        }

        var data = _catalogue.Data;
        var itemFeatures = _catalogue.ItemFeatures;
        say($"{data.Count:N0} interactions, {data.UserCount:N0} users, {data.ItemCount:N0} items; {(itemFeatures is null ? "no item features" : $"{itemFeatures.Columns.Count:N0} item features")}{(_catalogue.UserFeatures is { } u ? $", {u.Columns.Count:N0} user features" : string.Empty)}; relevant = {Relevance.Describe(_relevance)}");

        foreach (var name in settings.BaseModels)
        {
            if (Spec(name) is var spec && spec.Definition.CatalogueRefusal(spec.Options, data.ItemCount) is { } refusal)
            {
                throw new ArgumentException($"setting 'baseModels': '{name}' cannot fit this catalogue of {data.ItemCount:N0} items. {refusal}");
            }
        }

        foreach (var name in settings.BaseModels.Where(n => !Available(n)))
        {
            say($"base model {name} left out: it needs {Missing(name)}, which this catalogue does not have");
        }

        stages.End("load");
        say($"EDA figures into {output.Figures}/");
        var genres = settings.Data.Format == CatalogueFormat.MovieLens ? itemFeatures?.ColumnCounts() : null;
        var figures = reports.WriteEda(data, output.Figures, genres, _catalogue.RawCounts).ToList();
        if (itemFeatures is not null)
        {
            figures.AddRange(reports.WriteFeatures(itemFeatures, "item", output.Figures));
        }

        if (_catalogue.UserFeatures is { } userFeatures)
        {
            figures.AddRange(reports.WriteFeatures(userFeatures, "user", output.Figures));
        }

        cancellation.ThrowIfCancellationRequested();
        stages.End("eda");

        var (report, choices) = ChooseAndEvaluate(data, stages, cancellation);
        var (tuning, contentWeight, alsWeighting, alsSample, neighbours, neighboursSkipped, metaSplitsNote) = choices;
        GiveBackMemory(); // the split and the models fitted on its parts

        var coldNotes = new StringBuilder();
        var extra = new Dictionary<string, object>();
        if (contentWeight is not null || alsWeighting is not null || neighbours is not null || neighboursSkipped is not null || metaSplitsNote is not null)
        {
            coldNotes.AppendLine("## Automatic choices").AppendLine();
        }

        if (metaSplitsNote is not null)
        {
            coldNotes.AppendLine(metaSplitsNote).AppendLine();
        }

        if (alsSample is not null && alsWeighting is not null)
        {
            coldNotes.AppendLine(alsSample).AppendLine();
        }

        if (alsWeighting is not null)
        {
            coldNotes.Append(AlsWeightingNotes(alsWeighting)).AppendLine();
            extra["alsWeighting"] = new { alpha = alsWeighting.Alpha, regularization = alsWeighting.Regularization, candidates = alsWeighting.Candidates.Select(c => new { alpha = c.Alpha, regularization = c.Regularization }), meanNdcg = alsWeighting.MeanNdcg, foldChoices = alsWeighting.FoldChoices, seconds = alsWeighting.Seconds };
        }

        if (neighbours is not null)
        {
            coldNotes.Append(NeighboursNotes(neighbours)).AppendLine();
            extra["itemKnnNeighbours"] = new { neighbours = neighbours.Neighbours, candidates = neighbours.Candidates, meanNdcg = neighbours.MeanNdcg, foldChoices = neighbours.FoldChoices, seconds = neighbours.Seconds };
        }
        else if (neighboursSkipped is not null)
        {
            coldNotes.AppendLine(neighboursSkipped).AppendLine();
        }

        if (contentWeight is not null)
        {
            coldNotes.Append(ContentWeightNotes(contentWeight)).AppendLine();
            extra["contentWeight"] = new { chosen = contentWeight.Weight, candidates = contentWeight.Candidates, meanNdcg = contentWeight.MeanNdcg, foldChoices = contentWeight.FoldChoices };
        }

        if (tuning is not null)
        {
            coldNotes.Append(TuningNotes(tuning)).AppendLine();
            extra["tuning"] = tuning.Select(r => new
            {
                model = r.Model,
                metric = r.Metric,
                seconds = r.Seconds,
                configuredScore = r.ConfiguredScore,
                bestScore = r.BestScore,
                chosen = r.Best.ToJsonString(),
                trials = r.Trials.Select(t => new { candidate = t.Candidate, budget = t.Budget, score = t.Score, seconds = t.Seconds, options = t.Options.ToJsonString() }),
            }).ToList();
            figures.AddRange(reports.WriteTuning(output.Folder, tuning, settings.Evaluation.K));
        }

        if (settings.ColdStart.Enabled && itemFeatures is not null)
        {
            say("cold-start experiment: items held out of training entirely");
            var (notes, coldItemFigures) = ColdStart(data, rechooseContentWeight: contentWeight is not null);
            coldNotes.Append(notes);
            extra["coldStart"] = coldItemFigures;
        }

        if (settings.ColdStart.Enabled && _catalogue.UserFeatures is not null)
        {
            say("cold-start experiment: users held out of training entirely (features only)");
            var (notes, coldUserFigures) = ColdUsers(data);
            coldNotes.AppendLine().Append(notes);
            extra["coldUsers"] = coldUserFigures;
        }

        if (extra.ContainsKey("coldStart") || extra.ContainsKey("coldUsers"))
        {
            stages.End("cold start");
        }

        var files = reports.WriteReport(output.Folder, report, settings.Evaluation.K, extra.Count == 0 ? null : extra, coldNotes.Length == 0 ? null : coldNotes.ToString(), _relevance is { } r ? $"test rating ≥ {r.ToString(CultureInfo.InvariantCulture)}" : "any held-out interaction");
        say($"report: {Path.Combine(output.Folder, "report.md")}");
        stages.End("report");

        var k = settings.Evaluation.K;
        var bestBase = report.Rows.Where(r => r.TrainedOn == "train_full").MaxBy(r => r.Result[$"NDCG@{k}"])!.Model;
        var named = settings.Production.Model == "best" ? null : settings.Production.Model;
        var (store, version) = WriteBundle(report, data, bestBase, named, k, cancellation);
        GiveBackMemory(); // the models fitted for the bundle, before the written bundle is loaded
        var bundle = served.Load(store.PathOf(version));
        say($"bundle {version} in {store.Root} (current): variants {string.Join(", ", bundle.Variants)}; production ranker {bundle.DefaultVariant}");
        stages.End("bundle");
        var productionName = bundle.DefaultVariant;
        var lists = bundle.RecommendAll(productionName, settings.Production.TopN, _steps, cancellation);
        RecommendationsJson.Write(output.Recommendations, lists, data.UserMap, data.ItemMap, productionName, settings.Production.TopN, _catalogue.Titles is null ? null : _catalogue.Title);
        say($"recommendations of {productionName} for {lists.Length:N0} users: {output.Recommendations}");
        stages.End("recommendations");
        say(stages.Describe());
        say(string.Create(CultureInfo.InvariantCulture, $"done in {stages.Elapsed.TotalSeconds:F1}s; {figures.Count} EDA files, {files.Count} report files"));
        return new MainJobResult(report, k, version, productionName, figures.Count, files.Count, stages.Elapsed) { Stages = stages.Stages };
    }

    /// <summary>
    /// A full, compacting collection between stages, when a stage's large arrays (the split's parts, a stage's fitted
    /// models) have just become garbage: the next stage then reuses that memory instead of growing the process beside it
    /// (the run's peak is what decides the machine it needs).
    /// </summary>
    private static void GiveBackMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>What the run chose from base_train before fitting: tuned options, the two-tower's content weight, ALS's weighting, the sample of base_train ALS's was chosen on (null: all of it), item-kNN's neighbours (or why not), and what it says of the meta splits.</summary>
    private sealed record AutomaticChoices(List<TuningResult>? Tuning, ContentWeightChoice? ContentWeight, AlsWeightingChoice? AlsWeighting, string? AlsSample, ItemKnnNeighboursChoice? Neighbours, string? NeighboursSkipped, string? MetaSplits);

    /// <summary>
    /// The three-way split, the automatic choices on its base_train, and the stacking experiment. Its own method so that
    /// the split's three parts are garbage once it returns: the bundle's fits and the loaded bundle never sit beside them.
    /// </summary>
    private (StackReport Report, AutomaticChoices Choices) ChooseAndEvaluate(Interactions data, StageTimes stages, CancellationToken cancellation)
    {
        var split = Splitter.ThreeWay(data, settings.Split.Seed, settings.Split.TestFraction, settings.Split.MetaFraction, settings.Split.Method == MainJobSettings.SplitMethod.PerItem);
        say($"three-way split ({(settings.Split.Method == MainJobSettings.SplitMethod.PerItem ? "per item, " : string.Empty)}seed {settings.Split.Seed}): base_train {split.BaseTrain.Count:N0}, meta_train {split.MetaTrain.Count:N0}, test {split.Test.Count:N0}");
        var names = settings.BaseModels.Where(Available).ToList();
        var contentWeight = names.Contains("two-tower") && ChoosesContentWeight() ? ChooseContentWeight(split.BaseTrain) : null;
        AlsWeightingChoice? alsWeighting = null;
        string? alsSample = null;
        if (names.Contains("als") && LeavesAlsWeightingToTheRun())
        {
            (var part, alsSample) = ChoicePart(split.BaseTrain, settings.Split.Seed);
            if (alsSample is not null)
            {
                say("  " + alsSample);
            }

            alsWeighting = ChooseAlsWeighting(part, cancellation);
        }

        // Item-kNN's neighbours only on all of base_train: chosen on a sample of its users they fit the sample's sparser
        // co-occurrences (20 at 15.2M interactions, which lowered the stacks: README, "Large catalogues").
        ItemKnnNeighboursChoice? neighbours = null;
        string? neighboursSkipped = null;
        if (names.Contains("itemknn") && LeavesNeighboursToTheRun())
        {
            if (split.BaseTrain.Count <= AutomaticChoiceLimit)
            {
                neighbours = ChooseNeighbours(split.BaseTrain, cancellation);
            }
            else
            {
                neighboursSkipped = NeighboursSkipped(split.BaseTrain.Count);
                say("  " + neighboursSkipped);
            }
        }

        // The tune section searches from the automatic choices: they are its configured candidate, so a search whose
        // validation finds nothing better keeps them (it used to start from the bare defaults and replace the choices).
        var tuning = settings.Tune.Models.Count == 0 ? null : TuneModels(split.BaseTrain, cancellation);
        if (tuning is not null || contentWeight is not null || alsWeighting is not null || neighbours is not null)
        {
            stages.End("tuning");
        }

        var (metaSplits, metaSplitsNote) = MetaSplits(split.BaseTrain.Count);
        var stackOptions = new StackExperimentOptions
        {
            Threshold = _relevance,
            Ks = [settings.Evaluation.K],
            Candidates = settings.Stack.Candidates.Select(p => (p.Key, p.Value)).ToList(),
            CandidateBudget = settings.Stack.Candidates.Count == 0 ? settings.Stack.CandidateBudget : null,
            AverageOf = settings.Stack.AverageOf,
            Trees = settings.Stack.Trees,
            Leaves = settings.Stack.Leaves,
            TreeLearningRate = settings.Stack.TreeLearningRate,
            LambdaMartL2 = settings.Stack.LambdaMartL2,
            LogisticL2 = settings.Stack.LogisticL2,
            Seed = settings.Split.Seed,
            EvaluationUsers = settings.Evaluation.MaxUsers,
            MetaUsers = settings.Stack.MetaUsers() is { } metaUsers ? Math.Max(1, metaUsers / metaSplits) : null, // the bounds are shared among the splits: the trees' time grows with the rows
            MetaSplits = metaSplits,
            MetaFraction = settings.Split.MetaFraction,
            PerItemMetaSplits = settings.Split.Method == MainJobSettings.SplitMethod.PerItem,
            MeasureCeiling = MeasureStackCeiling,
        };
        var report = StackExperiment.Run(split, names.Select(n => (n, (Func<Interactions, IRecommender>)(t => Fit(n, t, cancellation)))).ToList(), stackOptions, progress, _steps);
        stages.End("base models and stacks");
        return (report, new AutomaticChoices(tuning, contentWeight, alsWeighting, alsSample, neighbours, neighboursSkipped, metaSplitsNote));
    }

    /// <summary>Meta splits made by the run by default (<see cref="MainJobSettings.StackSettings.MetaSplits"/>).</summary>
    private const int AutomaticMetaSplits = 3;

    /// <summary>
    /// How many meta splits make the meta models' rows: the setting, else <see cref="AutomaticMetaSplits"/> up to <see
    /// cref="AutomaticChoiceLimit"/> base_train interactions (each further split refits every base model) and one
    /// above; with what the log and the report say of the run's choice (null when the setting made it).
    /// </summary>
    private (int Splits, string? Note) MetaSplits(int baseTrainCount)
    {
        if (settings.Stack.MetaSplits is { } configured)
        {
            return (configured, null);
        }

        var affordable = baseTrainCount <= AutomaticChoiceLimit;
        var note = affordable
            ? string.Create(CultureInfo.InvariantCulture, $"The meta models learned from {AutomaticMetaSplits} base_train / meta_train splits of train_full: the one above, then {AutomaticMetaSplits - 1} more carved the same way with seeds of their own, the base models refitted on each base part, every split's candidates labelled by its held-out part (more users' rows, and more groups for LambdaMART). Set `stack.metaSplits` to fix it (1 to 10).")
            : string.Create(CultureInfo.InvariantCulture, $"The meta models learned from one base_train / meta_train split: base_train has {baseTrainCount:N0} interactions, above the {AutomaticChoiceLimit:N0} up to which the run carves {AutomaticMetaSplits} (each further split refits every base model). Set `stack.metaSplits` to carve more.");
        say("  " + (affordable ? $"meta splits: {AutomaticMetaSplits}" : note));
        return (affordable ? AutomaticMetaSplits : 1, note);
    }

    /// <summary>
    /// The production models fitted on all the data, written as the next bundle version, and the production single model
    /// as production.model. Its own method so that those fits are garbage once it returns (the bundle is read back to rank).
    /// </summary>
    private (BundleStore Store, string Version) WriteBundle(StackReport report, Interactions data, string bestBase, string? named, int k, CancellationToken cancellation)
    {
        var itemFeatures = _catalogue.ItemFeatures;
        var output = settings.Output;
        var content = ProductionBundle.Build(
            report,
            data,
            (name, all) => Fit(name, all, cancellation),
            name => Spec(name).WriteOptions(),
            report.Candidates,
            k,
            named,
            progress) with
        {
            Values = _catalogue.Values,
            RelevanceThreshold = _relevance,
            Titles = _catalogue.Titles,
            Labels = itemFeatures?.LabelsPerRow(),
            ItemSchema = FeatureSchema.Of(_catalogue.ItemEncoder, _catalogue.ItemFeatures),
            UserSchema = FeatureSchema.Of(_catalogue.UserEncoder, _catalogue.UserFeatures),
            // Tuned options replace the configured ones and the search is not repeated by a retrain from this config.
            Config = JsonSerializer.Serialize(settings with { Data = settings.Data.WithAbsolutePaths(), Tune = new MainJobSettings.TuneSettings() }, StrictJson.Options),
            IngestedThrough = retraining?.Through ?? 0,
            ErasuresThrough = retraining?.ErasuresThrough ?? 0,
        };
        var store = new BundleStore(output.BundleRoot);
        var version = store.Write(content, (written, folder) => served.AddServingFiles(written, folder, _steps));

        var single = named is not null && content.Models.Any(m => m.Name == named) ? named : bestBase;
        if (content.Models.FirstOrDefault(m => m.Name == single) is { Model: IPersistableModel persistable })
        {
            var metadata = new Dictionary<string, string> { ["model"] = single };
            if (_catalogue.Titles is { } known)
            {
                var (key, titles) = ItemTitles.ToMetadata(known);
                metadata[key] = titles;
            }

            ModelFile.Save(Path.Combine(output.Folder, "production.model"), persistable, data.UserMap, data.ItemMap, metadata, data.ByUser);
        }

        return (store, version);
    }

    /// <summary>
    /// Tunes the models the tune section names on a validation part carved from base_train (meta_train and test are
    /// never seen), then runs on with the chosen options: they replace the configured ones for every fit of the run and
    /// in the bundle's config, and FOLDER/tuned.json is the config to run tuned again without searching.
    /// </summary>
    private List<TuningResult> TuneModels(Interactions baseTrain, CancellationToken cancellation)
    {
        var options = new TuningOptions { Candidates = settings.Tune.Candidates, Seconds = settings.Tune.Seconds, K = settings.Evaluation.K, Seed = settings.Split.Seed, Relevance = _relevance };
        var results = new List<TuningResult>();
        foreach (var name in settings.Tune.Models)
        {
            say($"tuning {name}: {options.Candidates} candidates by successive halving on a validation part of base_train{(options.Seconds is { } s ? $", at most {s:N0} s" : string.Empty)}");
            var trials = 0;
            var result = ModelTuner.Tune(name, settings.OptionsOf(name), baseTrain, options, (trial, best) =>
            {
                trials++;
                _steps?.Report(new TrainingProgress($"tuning {name}", trials, SuccessiveHalving.Trials(options.Candidates, options.Eta), null));
                if (trial.Budget >= 1)
                {
                    say(string.Create(CultureInfo.InvariantCulture, $"  {name} candidate {trial.Candidate} on the full budget: NDCG@{options.K} {trial.Score:F4} ({trial.Seconds:F1} s); best so far {best.Score:F4}"));
                }
            }, Inputs(baseTrain, cancellation), cancellation);
            say(string.Create(CultureInfo.InvariantCulture, $"  {name}: {(result.BestScore > result.ConfiguredScore ? $"tuned {result.BestScore:F4} against configured {result.ConfiguredScore:F4}" : $"the configured options stay ({result.ConfiguredScore:F4})")}; {result.Trials.Count} trials in {result.Seconds:F0} s"));
            SetOptions(name, result.Best);
            results.Add(result);
        }

        var tuned = settings with { Tune = new MainJobSettings.TuneSettings(), Data = settings.Data.WithAbsolutePaths() };
        Directory.CreateDirectory(settings.Output.Folder);
        RecKit.IO.AtomicFile.WriteAllText(Path.Combine(settings.Output.Folder, "tuned.json"), JsonSerializer.Serialize(tuned, IndentedJson) + "\n");
        say($"tuned config: {Path.Combine(settings.Output.Folder, "tuned.json")}");
        return results;
    }

    /// <summary>Whether the two-tower's content weight is the main job's to choose: item features, a content channel, and no weight (or choice of it) in the settings.</summary>
    private bool ChoosesContentWeight()
    {
        var configured = settings.OptionsOf("two-tower");
        return _catalogue.ItemFeatures is not null
            && configured?.ContainsKey("contentWeight") != true
            && configured?.ContainsKey("tuneContentWeight") != true
            && ((TwoTowerOptions)Spec("two-tower").Options).ContentChannel;
    }

    /// <summary>
    /// The two-tower's content weight chosen from the catalogue: items of base_train held out as if new, over several
    /// folds (seeds); the weight is then the configured one for every fit of the run and in the bundle.
    /// </summary>
    private ContentWeightChoice ChooseContentWeight(Interactions baseTrain)
    {
        var options = (TwoTowerOptions)Spec("two-tower").Options;
        say($"choosing the two-tower's content weight: items of base_train held out as if new, {options.ContentWeightFolds} folds");
        var trainer = new TwoTowerTrainer(_catalogue.UserFeatures?.Values, _catalogue.ItemFeatures!.Values, options with { RelevanceThreshold = options.RelevanceThreshold ?? _relevance }, EvaluatorJudge.Instance);
        var choice = trainer.ChooseContentWeight(baseTrain);
        say(string.Create(CultureInfo.InvariantCulture, $"  two-tower content weight {choice.Weight:0.##} (folds chose {string.Join(", ", choice.FoldChoices.Select(w => w.ToString("0.##", CultureInfo.InvariantCulture)))})"));
        var twoTower = settings.OptionsOf("two-tower")?.DeepClone().AsObject() ?? [];
        twoTower["contentWeight"] = choice.Weight;
        SetOptions("two-tower", twoTower);
        return choice;
    }

    /// <summary>Replaces a model's options for the rest of the run (every later fit, the bundle's config) and drops its cached spec.</summary>
    private void SetOptions(string name, JsonObject options)
    {
        settings = settings.WithModelOptions(name, options);
        _specs.Remove(name);
    }

    /// <summary>
    /// Whether ALS's confidence and regularisation are the main job's to choose: neither is in the settings (the tune
    /// section, when it searches ALS, then starts from the choice; above the size limit the choice is made on a sample).
    /// </summary>
    private bool LeavesAlsWeightingToTheRun()
    {
        var configured = settings.OptionsOf("als");
        return configured?.ContainsKey("alpha") != true && configured?.ContainsKey("regularization") != true;
    }

    /// <summary>
    /// The part of base_train ALS's weighting is chosen on: all of it up to <paramref
    /// name="limit"/> interactions; above, a seeded uniform sample of its users holding about that many (each user with
    /// all their interactions, so the held-out folds look as they would on all of it), with the sentence the log and the
    /// report give (null when all of base_train is used). The choice's 18 fits grow with the interactions; the sample
    /// keeps them to about what they cost at the limit.
    /// </summary>
    internal static (Interactions Part, string? Note) ChoicePart(Interactions baseTrain, int seed, int limit = AutomaticChoiceLimit)
    {
        if (baseTrain.Count <= limit)
        {
            return (baseTrain, null);
        }

        var users = UserSample.Users(baseTrain).Length;
        var sample = UserSample.Of(baseTrain, Math.Max(1, (int)((long)users * limit / baseTrain.Count)), seed + 23);
        var sampled = UserSample.Users(sample).Length;
        return (sample, string.Create(CultureInfo.InvariantCulture, $"ALS's alpha and regularization were chosen on a sample of base_train: it has {baseTrain.Count:N0} interactions, above the {limit:N0} up to which the run chooses on all of it, so on {sampled:N0} of its {users:N0} users drawn at random, with all of their {sample.Count:N0} interactions."));
    }

    /// <summary>Whether item-kNN's neighbours are the main job's to choose: not in the settings (the tune section, when it searches item-kNN, then starts from the choice).</summary>
    private bool LeavesNeighboursToTheRun() =>
        settings.OptionsOf("itemknn")?.ContainsKey("neighbours") != true;

    /// <summary>What the log and the report say when base_train is too large for the neighbours' choice.</summary>
    private string NeighboursSkipped(int baseTrainCount) =>
        string.Create(CultureInfo.InvariantCulture, $"item-kNN's neighbours were not chosen from the data: base_train has {baseTrainCount:N0} interactions, above the {AutomaticChoiceLimit:N0} up to which the run chooses them (on a sample of the users they fit its sparser co-occurrences); the default ({((ItemKnnOptions)Spec("itemknn").Options).Neighbours}) was used. Set `models.itemknn.neighbours`, or search it with the `tune` section.");

    /// <summary>Item-kNN's neighbours chosen on held-out interactions of base_train, then configured for every fit and the bundle.</summary>
    private ItemKnnNeighboursChoice ChooseNeighbours(Interactions baseTrain, CancellationToken cancellation)
    {
        say($"choosing item-kNN's neighbours: {string.Join(", ", ItemKnnNeighboursChooser.Candidates)}, a fifth of each user's base_train interactions held out, 2 folds");
        var choice = ItemKnnNeighboursChooser.Choose(baseTrain, (ItemKnnOptions)Spec("itemknn").Options, folds: 2, relevance: _relevance, seed: settings.Split.Seed, cancellation: cancellation);
        say(string.Create(CultureInfo.InvariantCulture, $"  item-kNN neighbours {choice.Neighbours} (folds chose {string.Join(", ", choice.FoldChoices.Select(c => choice.Candidates[c]))}; {choice.Seconds:F1} s)"));
        var itemKnn = settings.OptionsOf("itemknn")?.DeepClone().AsObject() ?? [];
        itemKnn["neighbours"] = choice.Neighbours;
        SetOptions("itemknn", itemKnn);
        return choice;
    }

    private static string NeighboursNotes(ItemKnnNeighboursChoice choice)
    {
        var notes = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Item-kNN's neighbours per item were chosen from this catalogue ({choice.Seconds:F1} s): in each of {choice.Ndcg.Count} folds a fifth of every user's base_train interactions was held out and item-kNN fitted on the rest with each count. Chosen: **{choice.Neighbours}** (best mean NDCG@10); each fold alone chose {string.Join(", ", choice.FoldChoices.Select(c => choice.Candidates[c]))}. Set `models.itemknn.neighbours` to fix it instead.")
            .AppendLine();
        AppendFoldTable(notes, "neighbours", choice.Candidates.Select(c => c.ToString(CultureInfo.InvariantCulture)), choice.Ndcg, choice.MeanNdcg);
        return notes.ToString();
    }

    /// <summary>Interactions of base_train up to which ALS's weighting is chosen on all of it (18 fits; on a sample of its users above), item-kNN's neighbours chosen (10 fits), and three meta splits carved.</summary>
    private const int AutomaticChoiceLimit = 2_000_000;

    /// <summary>ALS's α and λ chosen on held-out interactions of base_train, then the configured ones for every fit and the bundle.</summary>
    private AlsWeightingChoice ChooseAlsWeighting(Interactions baseTrain, CancellationToken cancellation)
    {
        var options = (AlsOptions)Spec("als").Options;
        say($"choosing ALS's alpha and regularization: {AlsWeightingChooser.Candidates.Count} pairs, a fifth of each user's base_train interactions held out, 2 folds");
        var choice = AlsWeightingChooser.Choose(baseTrain, options, folds: 2, relevance: _relevance, seed: settings.Split.Seed, cancellation: cancellation);
        say(string.Create(CultureInfo.InvariantCulture, $"  ALS alpha {choice.Alpha:0.##}, regularization {choice.Regularization:0.##} (folds chose {string.Join(", ", choice.FoldChoices.Select(c => Describe(choice.Candidates[c])))}; {choice.Seconds:F0} s)"));
        var als = settings.OptionsOf("als")?.DeepClone().AsObject() ?? [];
        als["alpha"] = choice.Alpha;
        als["regularization"] = choice.Regularization;
        SetOptions("als", als);
        return choice;
    }

    private static string Describe((double Alpha, double Regularization) pair) =>
        string.Create(CultureInfo.InvariantCulture, $"α {pair.Alpha:0.##} λ {pair.Regularization:0.##}");

    private static string AlsWeightingNotes(AlsWeightingChoice choice)
    {
        var notes = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"ALS's confidence α and regularization λ were chosen from this catalogue ({choice.Seconds:F0} s): in each of {choice.Ndcg.Count} folds a fifth of every user's base_train interactions was held out and each pair fitted on the rest. Chosen: **{Describe((choice.Alpha, choice.Regularization))}** (best mean NDCG@10); each fold alone chose {string.Join(", ", choice.FoldChoices.Select(c => Describe(choice.Candidates[c])))}. Set `models.als.alpha` and `regularization` to fix them instead.")
            .AppendLine();
        AppendFoldTable(notes, "α, λ", choice.Candidates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Alpha:0.##}, {c.Regularization:0.##}")), choice.Ndcg, choice.MeanNdcg);
        return notes.ToString();
    }

    /// <summary>An automatic choice's evidence: one column per candidate, NDCG@10 per fold, then the mean.</summary>
    private static void AppendFoldTable(StringBuilder notes, string header, IEnumerable<string> candidates, IReadOnlyList<double[]> ndcg, IReadOnlyList<double> mean)
    {
        var labels = candidates.ToList();
        notes.Append(CultureInfo.InvariantCulture, $"| {header} | ").AppendJoin(" | ", labels).AppendLine(" |")
            .Append("|---|").AppendJoin(string.Empty, labels.Select(_ => "---:|")).AppendLine();
        for (var f = 0; f < ndcg.Count; f++)
        {
            notes.Append(CultureInfo.InvariantCulture, $"| fold {f + 1} NDCG@10 | ").AppendJoin(" | ", ndcg[f].Select(v => v.ToString("F4", CultureInfo.InvariantCulture))).AppendLine(" |");
        }

        notes.Append("| mean | ").AppendJoin(" | ", mean.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))).AppendLine(" |");
    }

    private static string ContentWeightNotes(ContentWeightChoice choice)
    {
        var notes = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"The two-tower's content weight (how much the content cosine counts for items without interactions) was chosen from this catalogue: in each of {choice.Ndcg.Count} folds a fifth of base_train's items was held out as if new and the towers fitted on the rest; each weight ranked the held-out items for their users. Chosen: **{choice.Weight:0.##}** (best mean NDCG@10); each fold alone chose {string.Join(", ", choice.FoldChoices.Select(w => w.ToString("0.##", CultureInfo.InvariantCulture)))}. Set `models.two-tower.contentWeight` to fix it instead.")
            .AppendLine();
        AppendFoldTable(notes, "content weight", choice.Candidates.Select(w => w.ToString("0.##", CultureInfo.InvariantCulture)), choice.Ndcg, choice.MeanNdcg);
        return notes.ToString();
    }

    /// <summary>tuned.json is written to be read and edited by people.</summary>
    private static readonly JsonSerializerOptions IndentedJson = new(StrictJson.Options) { WriteIndented = true };

    /// <summary>The report's tuning section: per model the configured and tuned validation scores, the time, the chosen options.</summary>
    private string TuningNotes(List<TuningResult> results)
    {
        var notes = new StringBuilder()
            .AppendLine("## Tuning")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Each model's options searched by successive halving (η 3, {settings.Tune.Candidates} candidates, the configured options among them) on a validation part carved from base_train ({new TuningOptions().ValidationFraction:P0} of each user's interactions); meta_train and test unseen. The chosen options are used for every fit of this run; tuned.json holds them. Every trial: report.json, tuning.png.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"| model | trials | seconds | configured {results[0].Metric} | tuned {results[0].Metric} | chosen options |")
            .AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            notes.AppendLine(CultureInfo.InvariantCulture, $"| {r.Model} | {r.Trials.Count} | {r.Seconds:F0} | {r.ConfiguredScore:F4} | {r.BestScore:F4} | `{r.Best.ToJsonString()}` |");
        }

        notes.AppendLine().AppendLine("![tuning](tuning.png)");
        return notes.ToString();
    }

    private IRecommender Fit(string name, Interactions train, CancellationToken cancellation) => Fit(Spec(name), Inputs(train, cancellation));

    /// <summary>Fits a model as its definition asks: in one go, or with early stopping (the two-tower).</summary>
    private IRecommender Fit(ModelSpec spec, ModelInputs inputs) => spec.Definition.EarlyStopping ? FitWithEarlyStopping(spec, inputs) : spec.Fit(inputs);

    /// <summary>
    /// Early stopping: a seeded 10% of each user's interactions validates every epoch (Recall@K on 100 sampled
    /// users); the best epoch's weights are kept (and written to NAME.best.model in the output folder).
    /// </summary>
    private IRecommender FitWithEarlyStopping(ModelSpec spec, ModelInputs inputs)
    {
        var parts = Splitter.PerUser(inputs.Train, 0.1, settings.Split.Seed);
        var monitor = new TrainingMonitor(parts.Train, parts.Test, new EarlyStoppingOptions
        {
            Metric = $"Recall@{settings.Evaluation.K}",
            Patience = 3,
            Seed = settings.Split.Seed,
            CheckpointPath = null,
            BestModelPath = Path.Combine(settings.Output.Folder, $"{spec.Name}.best.model"),
        }, cancellation: inputs.Context.Cancellation);
        var last = spec.Fit(inputs with { Train = parts.Train, Context = monitor.Context() });
        var best = monitor.BestModel ?? last;
        say(string.Create(CultureInfo.InvariantCulture, $"  {spec.Name}: best epoch {monitor.BestEpoch} of {monitor.History.Count} (validation Recall@{settings.Evaluation.K} {monitor.BestValue:F4})"));
        return best;
    }

    /// <summary>
    /// Holds out a share of items with all their interactions; ranks only those items for each user. Item indices
    /// are first shuffled: ties (popularity knows nothing of cold items) then break at random, not by file order.
    /// </summary>
    /// <param name="rechooseContentWeight">The run chose the two-tower's content weight (on base_train): choose it again on
    /// this experiment's own training part, so that the held-out items never helped choose it.</param>
    private (string Notes, Dictionary<string, object> Figures) ColdStart(Interactions original, bool rechooseContentWeight)
    {
        var (data, genres) = ItemShuffle.Apply(original, _catalogue.ItemFeatures!.Values, settings.Split.Seed + 7);
        var (split, cold) = Splitter.HoldOut(data, items: true, settings.ColdStart.ItemFraction, settings.Split.Seed);

        var twoTowerSpec = Spec("two-tower");
        if (rechooseContentWeight)
        {
            var options = twoTowerSpec.WriteOptions();
            options["tuneContentWeight"] = true;
            twoTowerSpec = ModelSpec.Read("two-tower", options);
        }

        var twoTower = twoTowerSpec.Fit(Inputs(split.Train, CancellationToken.None, genres));
        var models = new (string Name, IRecommender Model)[]
        {
            ("popularity", new PopularityTrainer().Fit(split.Train)),
            ("content", Spec("genre").Fit(Inputs(split.Train, CancellationToken.None, genres))),
            ("two-tower", twoTower),
        };
        var weight = twoTower is TwoTowerModel towers ? string.Create(CultureInfo.InvariantCulture, $" The two-tower's content weight: {towers.ContentWeight:0.##}{(rechooseContentWeight ? ", chosen on this experiment's training part" : string.Empty)}.") : string.Empty;
        return EvaluateCold(
            "Cold start: items no one has interacted with",
            $"{cold.Count:N0} items ({settings.ColdStart.ItemFraction:P0}) are held out of training with all {split.Test.Count:N0} of their interactions; each user's ranking covers only those items, scored from item features alone ({_catalogue.ItemFeatures!.Columns.Count:N0} of them). Popularity knows nothing of them: all ties, broken at random (item indices are shuffled for this experiment).{weight}",
            "cold start",
            split,
            models,
            model => new ItemSubsetRecommender(model, cold));
    }

    /// <summary>
    /// Holds out a share of users with all their interactions, as new sign-ups who have only their features: each is
    /// ranked over the whole catalogue by the two-tower's user tower, against popularity (what a service without
    /// user features can do).
    /// </summary>
    private (string Notes, Dictionary<string, object> Figures) ColdUsers(Interactions data)
    {
        var (split, cold) = Splitter.HoldOut(data, items: false, settings.ColdStart.UserFraction, settings.Split.Seed + 11);
        var models = new (string Name, IRecommender Model)[]
        {
            ("popularity", new PopularityTrainer().Fit(split.Train)),
            ("two-tower", Spec("two-tower").Fit(Inputs(split.Train, CancellationToken.None))),
        };
        return EvaluateCold(
            "Cold start: users with features only",
            $"{cold.Count:N0} users ({settings.ColdStart.UserFraction:P0}) are held out of training with all {split.Test.Count:N0} of their interactions, like new sign-ups: the models know only their features ({_catalogue.UserFeatures!.Columns.Count:N0} of them) and rank the whole catalogue for them.",
            "cold users",
            split,
            models,
            model => model);
    }

    /// <summary>A cold-start experiment's table: each model evaluated on the held-out part, through <paramref name="view"/>.
    /// The two-tower is compared with each other model user by user (a paired bootstrap: is the difference more than chance?).</summary>
    private (string Notes, Dictionary<string, object> Figures) EvaluateCold(string title, string description, string label, Split split, (string Name, IRecommender Model)[] models, Func<IRecommender, IRecommender> view)
    {
        var k = settings.Evaluation.K;
        var options = new EvaluationOptions { Ks = [k], RelevanceThreshold = _relevance, ComputeAuc = false, Seed = settings.Split.Seed, Progress = _steps, KeepPerUser = true };
        var results = new Dictionary<string, EvaluationResult>();
        var notes = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"## {title}")
            .AppendLine()
            .AppendLine(description)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"| model | users | NDCG@{k} | Precision@{k} | Recall@{k} | HitRate@{k} |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        var figures = new Dictionary<string, object>();
        foreach (var (name, model) in models)
        {
            var result = results[name] = Evaluator.Evaluate(view(model), split.Train, split.Test, options);
            notes.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {result.UsersEvaluated} | {result[$"NDCG@{k}"]:F4} | {result[$"Precision@{k}"]:F4} | {result[$"Recall@{k}"]:F4} | {result[$"HitRate@{k}"]:F4} |");
            figures[name] = result.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Name, m => m.Value);
            say(string.Create(CultureInfo.InvariantCulture, $"  {label} {name}: NDCG@{k} {result[$"NDCG@{k}"]:F4}"));
        }

        if (results.TryGetValue("two-tower", out var towers))
        {
            var differences = new Dictionary<string, object>();
            notes.AppendLine();
            foreach (var (other, result) in results.Where(r => r.Key != "two-tower"))
            {
                var d = PairedBootstrap.Compare(towers, result, $"NDCG@{k}", seed: settings.Split.Seed);
                var verdict = !d.Settled ? "within chance" : d.Mean > 0 ? "above it beyond chance" : "below it beyond chance";
                notes.AppendLine(CultureInfo.InvariantCulture, $"- two-tower − {other}: {d.Describe($"NDCG@{k}")}: {verdict}.");
                differences[other] = new Dictionary<string, double> { ["mean"] = d.Mean, ["low"] = d.Low, ["high"] = d.High, ["users"] = d.Users };
            }

            figures["two-tower minus"] = differences;
        }

        return (notes.ToString(), figures);
    }
}
