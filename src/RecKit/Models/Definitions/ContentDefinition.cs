namespace RecKit.Models;

/// <summary>
/// The content model over item features ("genre", or "content": the same model) or over tags ("tags", TF-IDF
/// weighted); live, any history is scored from its items' features. With counts or binary data every interaction
/// counts as liked; with ratings, those at or above likeThreshold.
/// </summary>
public sealed class ContentDefinition(string name, bool tags) : ModelDefinition<ContentOptions>
{
    public static ContentDefinition Genre { get; } = new("genre", tags: false);

    public static ContentDefinition Content { get; } = new("content", tags: false);

    public static ContentDefinition Tags { get; } = new("tags", tags: true);

    public override string Name => name;

    public override string Summary => tags ? "content model over tags (TF-IDF)" : "content model over item features (genres, artist, ...)";

    public override ModelNeeds Needs => tags ? ModelNeeds.Tags : ModelNeeds.ItemFeatures;

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(ContentModel.FileKind, ContentModel.ReadPayload)];

    public override ContentOptions Defaults() => new();

    protected override void Validate(ContentOptions options) => OptionCheck.Defined($"{name} option", "weighting", options.Weighting);

    public override IRecommender Fit(ContentOptions options, ModelInputs inputs)
    {
        var features = tags ? RequireTags(inputs) : RequireItemFeatures(inputs);
        var adapted = tags ? options with { Weighting = FeatureWeighting.TfIdf } : options;
        return new ContentTrainer(features, inputs.Relevance is null ? adapted with { LikeThreshold = float.MinValue } : adapted).Fit(inputs.Train, inputs.Context);
    }

    public override IHistoryScorer? BindHistoryScorer(IRecommender model, ContentOptions options) => new Scorer((ContentModel)model);

    /// <summary>Over item features only: tags come from a file the service cannot extend.</summary>
    public override INewItemScorer? BindNewItemScorer(IRecommender model, ContentOptions options) => tags ? null : ((ContentModel)model).NewItems(options.Weighting);

    private sealed class Scorer(ContentModel model) : IHistoryScorer
    {
        public void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> scores) => model.ScoreHistory(items, scores);
    }
}
