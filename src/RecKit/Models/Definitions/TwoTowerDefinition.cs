namespace RecKit.Models;

/// <summary>
/// The two-tower hybrid over whatever user and item features the catalogue has (it needs none: without features it
/// is an ID-only factor model); the main job fits it with early
/// stopping. Its content channel's relevance follows the catalogue unless the options set it. Live, it serves
/// stored users (and users known by their features) only.
/// </summary>
public sealed class TwoTowerDefinition : ModelDefinition<TwoTowerOptions>
{
    public override string Name => "two-tower";

    public override string Summary => "two-tower hybrid (ID + feature embeddings; ALS or SGD)";

    public override string? EpochOption => "epochs";

    public override bool EarlyStopping => true;

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(TwoTowerModel.FileKind, TwoTowerModel.ReadPayload)];

    public override TwoTowerOptions Defaults() => new();

    protected override void Validate(TwoTowerOptions options) => options.Validate();

    public override int? Epochs(TwoTowerOptions options) => options.EpochsOrDefault;

    public override IRecommender Fit(TwoTowerOptions options, ModelInputs inputs) =>
        new TwoTowerTrainer(inputs.UserFeatures, inputs.ItemFeatures, options.RelevanceThreshold is null ? options with { RelevanceThreshold = inputs.Relevance } : options, inputs.Judge)
            .Fit(inputs.Train, inputs.Context);

    public override INewItemScorer? BindNewItemScorer(IRecommender model, TwoTowerOptions options) => ((TwoTowerModel)model).NewItems(options.NormalizeFeatures);
}
