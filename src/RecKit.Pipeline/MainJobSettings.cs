using System.Text.Json.Nodes;
using RecKit.Models;
using RecKit.Persistence;

using RecKit.IO;

namespace RecKit.Pipeline;

/// <summary>
/// Every setting of the main job (reckit.json). Unknown keys are errors; each default is written here and in the
/// shipped reckit.json.
/// </summary>
public sealed record MainJobSettings
{
    /// <summary>The catalogue: a MovieLens directory (the preset) or any interactions file with feature files.</summary>
    public RecKit.Data.CatalogueDescription Data { get; init; } = new();

    public SplitSettings Split { get; init; } = new();

    public EvaluationSettings Evaluation { get; init; } = new();

    /// <summary>Base models of the stack, in order (names of `reckit evaluate`, plus "genre", "tags" and "two-tower").</summary>
    public IReadOnlyList<string> BaseModels { get; init; } = ["bias", "itemknn", "mf", "genre", "tags", "als", "bpr", "two-tower", "svd++", "seqknn"];

    /// <summary>Options per model name, as in `reckit train`'s config ("models": { "als": { "factors": 64 } }).</summary>
    public Dictionary<string, JsonObject> Models { get; init; } = [];

    public StackSettings Stack { get; init; } = new();

    /// <summary>Models whose options are tuned on base_train before the run (none by default).</summary>
    public TuneSettings Tune { get; init; } = new();

    public ColdStartSettings ColdStart { get; init; } = new();

    public ProductionSettings Production { get; init; } = new();

    public OutputSettings Output { get; init; } = new();

    /// <summary>
    /// Checks every setting and every output location before any data is read, so that a typo fails in the first
    /// second, not after minutes of fitting. Each message names the key as written in reckit.json.
    /// </summary>
    public void Validate()
    {
        const string Key = "setting";
        Data.Validate();
        OptionCheck.Between(Key, "split.testFraction", Split.TestFraction, 0, 1);
        OptionCheck.Between(Key, "split.metaFraction", Split.MetaFraction, 0, 1);
        OptionCheck.AtLeast(Key, "evaluation.k", Evaluation.K, 1);
        OptionCheck.Within(Key, "evaluation.threshold", Evaluation.Threshold, -RecKit.Data.RatingScale.UndeclaredLimit, RecKit.Data.RatingScale.UndeclaredLimit);

        var known = ModelDefinitions.Names.ToHashSet(StringComparer.OrdinalIgnoreCase);
        string KnownList() => string.Join(", ", ModelDefinitions.Names);
        if (BaseModels.Count == 0)
        {
            throw new ArgumentException("setting 'baseModels' is empty: name at least one model.");
        }

        foreach (var name in BaseModels)
        {
            if (!known.Contains(name))
            {
                throw new ArgumentException($"setting 'baseModels': unknown model '{name}'. Known models: {KnownList()}.");
            }
        }

        if (BaseModels.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"setting 'baseModels' names '{twice.Key}' twice.");
        }

        foreach (var (name, options) in Models)
        {
            if (!known.Contains(name))
            {
                throw new ArgumentException($"setting 'models.{name}': unknown model. Known models: {KnownList()}.");
            }

            _ = Spec(name);
        }

        foreach (var (source, size) in Stack.Candidates)
        {
            if (!source.Equals("popularity", StringComparison.OrdinalIgnoreCase) && !BaseModels.Contains(source, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"setting 'stack.candidates.{source}': candidates come from popularity or a base model, and '{source}' is not in baseModels ({string.Join(", ", BaseModels)}).");
            }

            OptionCheck.AtLeast(Key, $"stack.candidates.{source}", size, 1);
        }

        OptionCheck.AtLeast(Key, "stack.candidateBudget", Stack.CandidateBudget, 10);
        if (Stack.Candidates.Count > 0 && Stack.Candidates.Values.Sum() > Stack.CandidateBudget)
        {
            throw new ArgumentException($"setting 'stack.candidates': the sizes sum to {Stack.Candidates.Values.Sum()}, more than 'stack.candidateBudget' ({Stack.CandidateBudget}); raise the budget or lower the sizes.");
        }

        foreach (var name in Stack.AverageOf)
        {
            if (!BaseModels.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"setting 'stack.averageOf': '{name}' is not in baseModels ({string.Join(", ", BaseModels)}).");
            }
        }

        foreach (var name in Tune.Models)
        {
            if (!BaseModels.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"setting 'tune.models': '{name}' is not in baseModels ({string.Join(", ", BaseModels)}).");
            }

            if (RecKit.Tuning.TuningSpace.For(name) is null)
            {
                throw new ArgumentException($"setting 'tune.models': '{name}' has nothing to tune; tunable: {string.Join(", ", RecKit.Tuning.TuningSpace.Tunable)}.");
            }
        }

        OptionCheck.AtLeast(Key, "tune.candidates", Tune.Candidates, 1);
        if (Tune.Seconds is { } seconds && !(double.IsFinite(seconds) && seconds > 0))
        {
            throw new ArgumentException($"setting 'tune.seconds' must be above 0; it is {seconds}.");
        }

        OptionCheck.AtLeast(Key, "stack.trees", Stack.Trees, 1);
        OptionCheck.AtLeast(Key, "stack.leaves", Stack.Leaves, 2);
        OptionCheck.Positive(Key, "stack.treeLearningRate", Stack.TreeLearningRate);
        OptionCheck.NonNegative(Key, "stack.logisticL2", Stack.LogisticL2);
        OptionCheck.NonNegative(Key, "stack.lambdaMartL2", Stack.LambdaMartL2);
        if (Evaluation.MaxUsers is { } maxUsers)
        {
            OptionCheck.AtLeast(Key, "evaluation.maxUsers", maxUsers, 100);
        }

        if (Stack.MaxMetaUsers is { } maxMetaUsers)
        {
            OptionCheck.AtLeast(Key, "stack.maxMetaUsers", maxMetaUsers, 100);
        }

        if (Stack.MaxMetaRows is { } maxMetaRows)
        {
            OptionCheck.AtLeast(Key, "stack.maxMetaRows", maxMetaRows, 10_000);
        }

        if (Stack.MetaSplits is { } metaSplits)
        {
            OptionCheck.Within(Key, "stack.metaSplits", metaSplits, 1, 10);
        }

        OptionCheck.Between(Key, "coldStart.itemFraction", ColdStart.ItemFraction, 0, 1);
        OptionCheck.Between(Key, "coldStart.userFraction", ColdStart.UserFraction, 0, 1);
        string[] stacks = ["LogisticStack", "GBStack", "LambdaMARTStack", "XeNdcgStack", "BlendStack"];
        if (Production.Model != "best" && !BaseModels.Contains(Production.Model, StringComparer.OrdinalIgnoreCase) && !known.Contains(Production.Model) && !stacks.Contains(Production.Model))
        {
            throw new ArgumentException($"setting 'production.model': '{Production.Model}' is neither \"best\", a stack ({string.Join(", ", stacks)}) nor a known model ({KnownList()}).");
        }

        OptionCheck.AtLeast(Key, "production.topN", Production.TopN, 1);
        AtomicFile.CheckFolder(Output.Folder);
        AtomicFile.CheckFolder(Output.Figures);
        AtomicFile.CheckWritable(Output.Recommendations);
        AtomicFile.CheckFolder(Output.BundleRoot);
    }

    /// <summary>
    /// The model <paramref name="name"/> with its options from the models section read and validated (typed from here
    /// on: fitted with them and written into the bundle with them); errors name the setting.
    /// </summary>
    public ModelSpec Spec(string name)
    {
        var settings = OptionsOf(name);
        try
        {
            return ModelSpec.Read(name, settings);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"setting 'models.{name}': {ex.Message}", ex);
        }
    }

    /// <summary>The options the models section gives <paramref name="name"/> (the key's case ignored), or null.</summary>
    internal JsonObject? OptionsOf(string name) => Models.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>These settings with <paramref name="name"/>'s options replaced (under whatever case its key had).</summary>
    internal MainJobSettings WithModelOptions(string name, JsonObject options)
    {
        var models = Models.Where(p => !string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).ToDictionary(p => p.Key, p => p.Value);
        models[name] = options;
        return this with { Models = models };
    }

    /// <summary>
    /// Settings with the output locations moved under <paramref name="folder"/>: the report folder becomes it, and
    /// relative figure and recommendation paths are taken inside it (so --out keeps a run's files together).
    /// </summary>
    public MainJobSettings WithOutputUnder(string folder) => this with
    {
        Output = new OutputSettings
        {
            Folder = folder,
            Figures = System.IO.Path.IsPathRooted(Output.Figures) ? Output.Figures : System.IO.Path.Combine(folder, Output.Figures),
            Recommendations = System.IO.Path.IsPathRooted(Output.Recommendations) ? Output.Recommendations : System.IO.Path.Combine(folder, Output.Recommendations),
            Bundles = Output.Bundles is null || System.IO.Path.IsPathRooted(Output.Bundles) ? Output.Bundles : System.IO.Path.Combine(folder, Output.Bundles),
        },
    };

    /// <summary>How the three-way split draws its parts.</summary>
    public enum SplitMethod
    {
        PerUser,
        PerItem,
    }

    /// <summary>Design note 3's three-way split.</summary>
    public sealed record SplitSettings
    {
        public int Seed { get; init; } = 42;

        /// <summary>Share of each user's interactions in test. Default 0.2.</summary>
        public double TestFraction { get; init; } = 0.2;

        /// <summary>Share of each user's train_full interactions in meta_train. Default 0.2.</summary>
        public double MetaFraction { get; init; } = 0.2;

        /// <summary>
        /// Within whom the fractions are drawn: PerUser (each user's interactions, the default) or PerItem (each item's: the
        /// Microsoft Recommenders protocol's split, with testFraction 0.25).
        /// </summary>
        public SplitMethod Method { get; init; } = SplitMethod.PerUser;
    }

    public sealed record EvaluationSettings
    {
        /// <summary>Cut-off of the report's metrics. Default 10.</summary>
        public int K { get; init; } = 10;

        /// <summary>A test rating at or above this is relevant (and a positive for the stacks). Default 4.0.</summary>
        public float Threshold { get; init; } = 4f;

        /// <summary>
        /// Every held-out rating is relevant, whatever its value (the Microsoft Recommenders protocol); the threshold then
        /// only matters to models that use one. Default false.
        /// </summary>
        public bool AllRelevant { get; init; }

        /// <summary>
        /// Evaluate every model on at most this many test users: one seeded sample, the same for all models, its size in
        /// the report (null: all). Default 20,000: scoring the whole catalogue for every user is most of a large run.
        /// </summary>
        public int? MaxUsers { get; init; } = 20_000;
    }

    public sealed record StackSettings
    {
        /// <summary>
        /// Candidate sources and sizes. Default empty: every base model and popularity is a source, and the sizes are
        /// chosen by measured marginal recall on meta_train within <see cref="CandidateBudget"/>.
        /// </summary>
        public Dictionary<string, int> Candidates { get; init; } = [];

        /// <summary>Candidates per user at most. Default 300.</summary>
        public int CandidateBudget { get; init; } = 300;

        /// <summary>The four scores SimpleAverage4 averages. Default bias, item-kNN, MF, genre.</summary>
        public IReadOnlyList<string> AverageOf { get; init; } = ["bias", "itemknn", "mf", "genre"];

        public int Trees { get; init; } = 300;

        public int Leaves { get; init; } = 7;

        public double TreeLearningRate { get; init; } = 0.05;

        /// <summary>L2 penalty on the ranking stacks' leaf values (LambdaMART, XE-NDCG). Default 30 (see <see cref="RecKit.Ranking.StackExperimentOptions.LambdaMartL2"/>).</summary>
        public double LambdaMartL2 { get; init; } = 30;

        public double LogisticL2 { get; init; } = 1;

        /// <summary>Train the meta models on at most this many meta_train users' candidates, a seeded sample (null: all). Default 20,000.</summary>
        public int? MaxMetaUsers { get; init; } = 20_000;

        /// <summary>
        /// How many base_train / meta_train splits of train_full give the meta models their rows, each further one
        /// refitting the base models (1 to 10; the user and row bounds are shared among them). Default null: the run
        /// chooses 3 when base_train has up to 2,000,000 interactions, else 1.
        /// </summary>
        public int? MetaSplits { get; init; }

        /// <summary>
        /// And on at most about this many candidate rows: the sample shrinks to this over the candidates per user (null: no
        /// bound). Default 3,000,000 (10,000 users at the default budget of 300); the trees' time grows with the rows.
        /// </summary>
        public int? MaxMetaRows { get; init; } = 3_000_000;

        /// <summary>The meta_train users sampled for the meta models: the smaller of the two bounds (null: all).</summary>
        public int? MetaUsers()
        {
            var perUser = Candidates.Count == 0 ? CandidateBudget : Math.Max(1, Candidates.Values.Sum());
            int? byRows = MaxMetaRows is { } rows ? Math.Max(100, rows / perUser) : null;
            return (MaxMetaUsers, byRows) switch
            {
                (null, var r) => r,
                (var u, null) => u,
                ({ } u, { } r) => Math.Min(u, r),
            };
        }
    }

    /// <summary>
    /// Tuning in the main job: each named model's options are searched on a validation part carved from base_train
    /// (successive halving; meta_train and test unseen), and the run goes on with the chosen ones.
    /// </summary>
    public sealed record TuneSettings
    {
        /// <summary>Models to tune (each a base model; als, bpr, itemknn or ease). Default none.</summary>
        public IReadOnlyList<string> Models { get; init; } = [];

        /// <summary>Candidates drawn per model (the configured settings are one). Default 27.</summary>
        public int Candidates { get; init; } = 27;

        /// <summary>Stop starting trials of a model after this many seconds (null: none). Default null.</summary>
        public double? Seconds { get; init; }
    }

    /// <summary>The two-tower cold-start experiment: items held out of training entirely.</summary>
    public sealed record ColdStartSettings
    {
        public bool Enabled { get; init; } = true;

        /// <summary>Share of items (with all their interactions) held out. Default 0.1.</summary>
        public double ItemFraction { get; init; } = 0.1;

        /// <summary>Share of users (with all their interactions) held out as new sign-ups, when there are user features. Default 0.1.</summary>
        public double UserFraction { get; init; } = 0.1;
    }

    public sealed record ProductionSettings
    {
        /// <summary>Model trained on all data for recommendations.json: a base-model name, or "best" (best NDCG@K on test). Default "best".</summary>
        public string Model { get; init; } = "best";

        /// <summary>Items per user in recommendations.json. Default 10.</summary>
        public int TopN { get; init; } = 10;
    }

    public sealed record OutputSettings
    {
        /// <summary>Report, charts and the production model go here. Default "out".</summary>
        public string Folder { get; init; } = "out";

        /// <summary>EDA figures. Default "figures".</summary>
        public string Figures { get; init; } = "figures";

        /// <summary>Top-N lists. Default "recommendations.json".</summary>
        public string Recommendations { get; init; } = "recommendations.json";

        /// <summary>Production bundles for reckit serve (a new version each run; "current" points at it). Default FOLDER/bundles.</summary>
        public string? Bundles { get; init; }

        /// <summary>Where bundles go: <see cref="Bundles"/>, or "bundles" inside the report folder.</summary>
        public string BundleRoot => Bundles ?? System.IO.Path.Combine(Folder, "bundles");
    }
}
