namespace RecKit.Models;

/// <summary>Implicit ALS; live, a history is folded in exactly (one k×k solve) with the options the model was trained with.</summary>
public sealed class AlsDefinition : ModelDefinition<AlsOptions>
{
    public override string Name => "als";

    public override string Summary => "implicit alternating least squares (confidence-weighted)";

    public override string? EpochOption => "iterations";

    public override int? SimilarItemsPreference => 1;

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(LatentFactorModel.FileKind, LatentFactorModel.ReadPayload)];

    public override AlsOptions Defaults() => new();

    protected override void Validate(AlsOptions options) => options.Validate();

    public override int? Epochs(AlsOptions options) => options.Iterations;

    public override IRecommender Fit(AlsOptions options, ModelInputs inputs) => new AlsTrainer(options).Fit(inputs.Train, inputs.Context);

    public override IHistoryScorer? BindHistoryScorer(IRecommender model, AlsOptions options) =>
        model is LatentFactorModel factors ? new FoldingScorer(factors, new AlsFoldIn(factors, options).Solve) : null;
}
