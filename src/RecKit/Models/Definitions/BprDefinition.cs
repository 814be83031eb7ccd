namespace RecKit.Models;

/// <summary>
/// BPR and the other sampled implicit losses; live, a history is folded in by SGD on the user vector alone, with the
/// fold-in settings saved in the model's options (foldInEpochs, foldInLearningRate, foldInL2).
/// </summary>
public sealed class BprDefinition : ModelDefinition<BprOptions>
{
    public override string Name => "bpr";

    public override string Summary => "Bayesian personalised ranking (pairwise SGD or Adam)";

    public override string? EpochOption => "epochs";

    public override int? SimilarItemsPreference => 1;

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(LatentFactorModel.FileKind, LatentFactorModel.ReadPayload)];

    public override BprOptions Defaults() => new();

    protected override void Validate(BprOptions options) => options.Validate();

    public override int? Epochs(BprOptions options) => options.EpochsOrDefault;

    public override IRecommender Fit(BprOptions options, ModelInputs inputs) => new BprTrainer(options).Fit(inputs.Train, inputs.Context);

    public override IHistoryScorer? BindHistoryScorer(IRecommender model, BprOptions options) =>
        model is LatentFactorModel factors
            ? new FoldingScorer(factors, (items, _) => BprTrainer.FoldIn(factors, items, seed: 0, options.FoldInEpochs, (float)options.FoldInLearningRate, (float)options.FoldInL2))
            : null;
}
