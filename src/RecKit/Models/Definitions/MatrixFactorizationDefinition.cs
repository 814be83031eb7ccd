namespace RecKit.Models;

/// <summary>Explicit matrix factorisation by SGD ("mf"), and SVD++ (the same trainer with implicit feedback on, "svd++").</summary>
public sealed class MatrixFactorizationDefinition(string name, Func<MatrixFactorizationOptions> defaults, string summary) : ModelDefinition<MatrixFactorizationOptions>
{
    public static MatrixFactorizationDefinition Mf { get; } = new("mf", () => new MatrixFactorizationOptions(), "explicit matrix factorisation (biased SGD)");

    public static MatrixFactorizationDefinition SvdPlusPlus { get; } = new("svd++", () => MatrixFactorizationOptions.SvdPlusPlus, "SVD++ (matrix factorisation with implicit feedback)");

    public override string Name => name;

    public override string Summary => summary;

    public override string? EpochOption => "epochs";

    public override int? SimilarItemsPreference => 1;

    public override IReadOnlyList<ModelFileKind> FileKinds { get; } = [new(LatentFactorModel.FileKind, LatentFactorModel.ReadPayload)];

    public override MatrixFactorizationOptions Defaults() => defaults();

    protected override void Validate(MatrixFactorizationOptions options) => options.Validate();

    public override int? Epochs(MatrixFactorizationOptions options) => options.Epochs;

    public override IRecommender Fit(MatrixFactorizationOptions options, ModelInputs inputs) => new MatrixFactorizationTrainer(options).Fit(inputs.Train, inputs.Context);
}
