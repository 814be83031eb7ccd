using RecKit.Bundles;
using RecKit.Serving;

namespace RecKit.Server.Dashboard;

/// <summary>What every page's frame shows: the serving version and whether state-changing actions can be offered.</summary>
public sealed record Frame(string Active, string Title, string Serving)
{
    /// <summary>Whether this server is a silo of a cluster (the cluster page is then offered).</summary>
    public bool Clustered { get; init; }
}

/// <summary>The overview: the serving bundle, its offline metrics and data summary, and the last hour live.</summary>
public sealed record OverviewModel(Frame Frame, BundleManifest Manifest, int CatalogueSize, int Added, DataSummary Data, long LiveInteractions, string? Experiment, LiveModel Live);

/// <summary>The live part of the overview, refreshed in place.</summary>
public sealed record LiveModel(IReadOnlyList<TimelineStep> Steps, IReadOnlyList<string> Variants);

/// <summary>The user list: a query and one page.</summary>
public sealed record UsersModel(Frame Frame, string? Query, ListPage<UserRow> Page);

/// <summary>An item of a user's history as the bundle was trained on it (no time: the bundle keeps none).</summary>
public sealed record TrainedRow(string Item, string? Title, IReadOnlyList<string> Labels, float Value);

/// <summary>An interaction ingested since, with its time and type.</summary>
public sealed record IngestedRow(long Id, string Item, string? Title, string Type, double Value, DateTimeOffset? At);

/// <summary>One user: experiment arm, the answer of every variant with its explanation, and the history behind them (<see cref="Titles"/>: of the items the explanations name).</summary>
public sealed record UserModel(Frame Frame, string User, bool InBundle, string? Arm, string? ArmVariant, IReadOnlyList<VariantAnswer> Answers, int TrainedCount, IReadOnlyList<TrainedRow> Trained, int IngestedCount, IReadOnlyList<IngestedRow> Ingested, IReadOnlyDictionary<string, string?> Titles);

/// <summary>The item list: a query and one page.</summary>
public sealed record ItemsModel(Frame Frame, string? Query, ListPage<ItemRow> Page);

/// <summary>One item: what the service knows of it, its raw features when it was added or updated through the API, its popularity, and the items most like it.</summary>
public sealed record ItemModel(Frame Frame, CatalogueItemAnswer Item, IReadOnlyDictionary<string, string?>? Features, int Interactions, int PopularityRank, int CatalogueSize, RecommendationAnswer? Similar, string? SimilarProblem);

/// <summary>The experiment: its arms as configured and the readout of the feedback logged so far.</summary>
public sealed record ExperimentModel(Frame Frame, Experiment? Experiment, AbReportResult? Report, string? Problem);

/// <summary>The bundles on disk, the refusals, and the retrain state.</summary>
public sealed record BundlesModel(Frame Frame, IReadOnlyList<ShelvedBundle> Shelf, IReadOnlyList<BundleRefusal> Refusals, bool CanRetrain, bool Retraining, RetrainOutcome? LastRetrain);

/// <summary>A page that could not be shown: what was asked and why.</summary>
public sealed record MissingModel(Frame Frame, string Message);

/// <summary>The sign-in page: where to go back to, and whether the last key given was wrong.</summary>
public sealed record SignInModel(Frame Frame, string Back, bool Wrong);

/// <summary>One line of a chart: its name and a value per point.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);

/// <summary>A variant asked for on the user page, and what answered (another ranker when it fell back, with the reason).</summary>
public sealed record VariantAnswer(string Requested, RecommendationAnswer Answer);

/// <summary>The cluster page: every member silo with its status, and what it last reported serving.</summary>
public sealed record ClusterModel(Frame Frame, IReadOnlyList<SiloRow> Silos);

/// <summary>A silo: its address, membership status, HTTP address, serving bundle, refusals, live interactions through it, and how old its report is (null: none yet).</summary>
public sealed record SiloRow(string Silo, string Status, string? Http, string? Bundle, long Refused, long Live, TimeSpan? ReportAge, bool This);
