namespace RecKit.Models;

/// <summary>Popularity: the items with the most interactions; the same answer for every history.</summary>
public sealed class PopularityDefinition : ModelDefinition<PopularityOptions>
{
    public override string Name => "popularity";

    public override string Summary => "items by interaction count (the non-personalised baseline)";

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(PopularityModel.FileKind, PopularityModel.ReadPayload)];

    public override PopularityOptions Defaults() => new();

    protected override void Validate(PopularityOptions options)
    {
    }

    public override IRecommender Fit(PopularityOptions options, ModelInputs inputs) => new PopularityTrainer(options).Fit(inputs.Train, inputs.Context);

    public override IHistoryScorer? BindHistoryScorer(IRecommender model, PopularityOptions options) =>
        new Scorer((PopularityModel)model);

    private sealed class Scorer(PopularityModel model) : IHistoryScorer
    {
        public void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> scores) => model.ScoreAll(0, scores);
    }
}
