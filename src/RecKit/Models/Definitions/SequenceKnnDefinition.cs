namespace RecKit.Models;

/// <summary>Sequential item-kNN; needs timestamps; live, any history is scored from the neighbour lists like item-kNN's.</summary>
public sealed class SequenceKnnDefinition : ModelDefinition<SequenceKnnOptions>
{
    public override string Name => "seqknn";

    public override string Summary => "sequential item-kNN (items users interact with close together in time)";

    public override ModelNeeds Needs => ModelNeeds.Timestamps;

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(ItemKnnModel.FileKind, ItemKnnModel.ReadPayload)];

    public override SequenceKnnOptions Defaults() => new();

    protected override void Validate(SequenceKnnOptions options) => options.Validate();

    public override IRecommender Fit(SequenceKnnOptions options, ModelInputs inputs) => new SequenceKnnTrainer(options).Fit(inputs.Train, inputs.Context);

    public override IHistoryScorer? BindHistoryScorer(IRecommender model, SequenceKnnOptions options) => new Scorer((ItemKnnModel)model);

    private sealed class Scorer(ItemKnnModel model) : ISparseHistoryScorer
    {
        public void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> scores) => model.ScoreHistory(items, scores);

        public SparseItemScores? ScoreSparse(ReadOnlySpan<int> items, ReadOnlySpan<float> weights) => model.ScoreHistorySparse(items);
    }
}
