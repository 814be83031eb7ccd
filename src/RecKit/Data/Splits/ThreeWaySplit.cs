namespace RecKit.Data.Splits;

/// <summary>
/// Design note 3's split for stacking: base models learn on <see cref="BaseTrain"/>, meta models learn on their
/// out-of-sample scores for <see cref="MetaTrain"/>, and everything is judged on <see cref="Test"/>.
/// TrainFull = BaseTrain ∪ MetaTrain.
/// </summary>
public sealed record ThreeWaySplit(Interactions TrainFull, Interactions Test, Interactions BaseTrain, Interactions MetaTrain)
{
    /// <summary>The outer split (train_full / test).</summary>
    public Split Outer => new(TrainFull, Test);

    /// <summary>The inner split (base_train / meta_train).</summary>
    public Split Inner => new(BaseTrain, MetaTrain);
}
