namespace RecKit.Ranking;

/// <summary>
/// A meta model made of regression trees (GBStack, LambdaMART): compiled into RecKit's flat tree format
/// (<see cref="CompiledTrees"/>) for a bundle, so serving needs no tree library.
/// </summary>
public interface ITreeEnsemble : IMetaModel
{
    /// <summary>True for a ranking objective (LambdaMART), false for binary classification (GBStack).</summary>
    bool IsLambdaRank { get; }

    CompiledTrees Compile();
}
