using System.Text.Json.Nodes;

namespace RecKit.Cli.Pipeline;

/// <summary>
/// Every setting of the main job (reckit.json). Unknown keys are errors; each default is written here and in the
/// shipped reckit.json.
/// </summary>
internal sealed record MainJobSettings
{
    public DataSettings Data { get; init; } = new();

    public SplitSettings Split { get; init; } = new();

    public EvaluationSettings Evaluation { get; init; } = new();

    /// <summary>Base models of the stack, in order (names of `reckit evaluate`, plus "genre", "tags" and "two-tower").</summary>
    public IReadOnlyList<string> BaseModels { get; init; } = ["bias", "itemknn", "mf", "genre", "tags", "als", "bpr", "two-tower"];

    /// <summary>Options per model name, as in `reckit train`'s config ("models": { "als": { "factors": 64 } }).</summary>
    public Dictionary<string, JsonObject> Models { get; init; } = [];

    public StackSettings Stack { get; init; } = new();

    public ColdStartSettings ColdStart { get; init; } = new();

    public ProductionSettings Production { get; init; } = new();

    public OutputSettings Output { get; init; } = new();

    /// <summary>Where to read interactions, and which filters to apply first.</summary>
    internal sealed record DataSettings
    {
        /// <summary>A MovieLens directory (ratings.csv, u.data or ratings.dat). Default the bundled data/ml-latest-small.</summary>
        public string Path { get; init; } = System.IO.Path.Combine("data", "ml-latest-small");

        /// <summary>Keep users with at least this many interactions (applied with the item minimum until both hold). Default 1.</summary>
        public int MinUserInteractions { get; init; } = 1;

        /// <summary>Keep items with at least this many interactions. Default 1.</summary>
        public int MinItemInteractions { get; init; } = 1;
    }

    /// <summary>Seed 003's three-way split.</summary>
    internal sealed record SplitSettings
    {
        public int Seed { get; init; } = 42;

        /// <summary>Share of each user's interactions in test. Default 0.2.</summary>
        public double TestFraction { get; init; } = 0.2;

        /// <summary>Share of each user's train_full interactions in meta_train. Default 0.2.</summary>
        public double MetaFraction { get; init; } = 0.2;
    }

    internal sealed record EvaluationSettings
    {
        /// <summary>Cut-off of the report's metrics. Default 10.</summary>
        public int K { get; init; } = 10;

        /// <summary>A test rating at or above this is relevant (and a positive for the stacks). Default 4.0.</summary>
        public float Threshold { get; init; } = 4f;
    }

    internal sealed record StackSettings
    {
        /// <summary>Candidate sources and sizes. Default item-kNN 100, ALS 100, popularity 50, genre 30.</summary>
        public Dictionary<string, int> Candidates { get; init; } = new() { ["itemknn"] = 100, ["als"] = 100, ["popularity"] = 50, ["genre"] = 30 };

        /// <summary>The four scores SimpleAverage4 averages. Default bias, item-kNN, MF, genre.</summary>
        public IReadOnlyList<string> AverageOf { get; init; } = ["bias", "itemknn", "mf", "genre"];

        public int Trees { get; init; } = 200;

        public int Leaves { get; init; } = 31;

        public double TreeLearningRate { get; init; } = 0.05;

        public double LogisticL2 { get; init; } = 1;
    }

    /// <summary>The two-tower cold-start experiment: items held out of training entirely.</summary>
    internal sealed record ColdStartSettings
    {
        public bool Enabled { get; init; } = true;

        /// <summary>Share of items (with all their interactions) held out. Default 0.1.</summary>
        public double ItemFraction { get; init; } = 0.1;
    }

    internal sealed record ProductionSettings
    {
        /// <summary>Model trained on all data for recommendations.json: a base-model name, or "best" (best NDCG@K on test). Default "best".</summary>
        public string Model { get; init; } = "best";

        /// <summary>Items per user in recommendations.json. Default 10.</summary>
        public int TopN { get; init; } = 10;
    }

    internal sealed record OutputSettings
    {
        /// <summary>Report, charts and the production model go here. Default "out".</summary>
        public string Folder { get; init; } = "out";

        /// <summary>EDA figures. Default "figures".</summary>
        public string Figures { get; init; } = "figures";

        /// <summary>Top-N lists. Default "recommendations.json".</summary>
        public string Recommendations { get; init; } = "recommendations.json";
    }
}
