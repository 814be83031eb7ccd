namespace RecKit.Models;

/// <summary>EASE; live, any history is scored exactly: the history's binary row times the item–item matrix.</summary>
public sealed class EaseDefinition : ModelDefinition<EaseOptions>
{
    public override string Name => "ease";

    public override string Summary => "EASE (closed-form item-item autoencoder)";

    public override int? SimilarItemsPreference => 2;

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(EaseModel.FileKind, EaseModel.ReadPayload)];

    public override EaseOptions Defaults() => new();

    protected override void Validate(EaseOptions options) => options.Validate();

    public override IRecommender Fit(EaseOptions options, ModelInputs inputs) => new EaseTrainer(options).Fit(inputs.Train, inputs.Context);

    public override string? CatalogueRefusal(EaseOptions options, int itemCount) => EaseTrainer.Refusal(itemCount, options) is { } refusal
        ? $"{refusal} Raise models.ease.maxItems, keep fewer items (data.minItemInteractions) or take 'ease' out of baseModels."
        : null;

    public override IHistoryScorer? BindHistoryScorer(IRecommender model, EaseOptions options) => new Scorer((EaseModel)model);

    private sealed class Scorer(EaseModel model) : IHistoryScorer
    {
        public void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> scores) => model.ScoreHistory(items, scores);
    }
}
