namespace RecKit.Models;

/// <summary>Item-kNN; live, any history is scored directly from the neighbour lists.</summary>
public sealed class ItemKnnDefinition : ModelDefinition<ItemKnnOptions>
{
    public override string Name => "itemknn";

    public override string Summary => "item-based k nearest neighbours (cosine, BM25 or TF-IDF weighting)";

    public override int? SimilarItemsPreference => 0;

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(ItemKnnModel.FileKind, ItemKnnModel.ReadPayload)];

    public override ItemKnnOptions Defaults() => new();

    protected override void Validate(ItemKnnOptions options) => options.Validate();

    public override IRecommender Fit(ItemKnnOptions options, ModelInputs inputs) => new ItemKnnTrainer(options).Fit(inputs.Train, inputs.Context);

    public override IHistoryScorer? BindHistoryScorer(IRecommender model, ItemKnnOptions options) => new Scorer((ItemKnnModel)model);

    private sealed class Scorer(ItemKnnModel model) : ISparseHistoryScorer
    {
        public void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> scores) => model.ScoreHistory(items, scores);

        public SparseItemScores? ScoreSparse(ReadOnlySpan<int> items, ReadOnlySpan<float> weights) => model.ScoreHistorySparse(items);
    }
}
