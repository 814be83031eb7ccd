namespace RecKit.Models;

/// <summary>The biased baseline μ + b_u + b_i (a rating predictor; serves stored users only).</summary>
public sealed class BiasDefinition : ModelDefinition<BiasOptions>
{
    public override string Name => "bias";

    public override string Summary => "global mean + user bias + item bias";

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(BiasModel.FileKind, BiasModel.ReadPayload)];

    public override BiasOptions Defaults() => new();

    protected override void Validate(BiasOptions options) => options.Validate();

    public override IRecommender Fit(BiasOptions options, ModelInputs inputs) => new BiasTrainer(options).Fit(inputs.Train, inputs.Context);
}
