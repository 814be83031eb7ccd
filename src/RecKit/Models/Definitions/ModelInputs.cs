using RecKit.Data;

namespace RecKit.Models;

/// <summary>
/// Everything a model may be fitted from: the training interactions, the catalogue's feature matrices (rows aligned
/// with the interactions' users and items; null when the catalogue has none), the relevance rule of the catalogue and
/// the training context (epoch callbacks, cancellation).
/// </summary>
public sealed record ModelInputs(Interactions Train)
{
    public CsrMatrix? ItemFeatures { get; init; }

    public CsrMatrix? UserFeatures { get; init; }

    public CsrMatrix? Tags { get; init; }

    /// <summary>A value at or above this is relevant (liked); null: every interaction is (counts, binary data).</summary>
    public float? Relevance { get; init; }

    public TrainingContext Context { get; init; } = TrainingContext.None;

    /// <summary>What a trainer that tunes a setting on held-out data of its own measures with; null: such tuning is refused.</summary>
    public IHeldOutJudge? Judge { get; init; }
}
