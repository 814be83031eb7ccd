namespace RecKit.Ranking;

/// <summary>
/// A meta model made of regression trees (GBStack, LambdaMART, XE-NDCG): compiled into RecKit's flat tree format
/// (<see cref="CompiledTrees"/>) for a bundle, so serving needs no tree library.
/// </summary>
public interface ITreeEnsemble : IMetaModel
{
    /// <summary>The bundle's name for its objective: gbdt (binary classification, GBStack), lambdamart, xendcg.</summary>
    string Kind { get; }

    CompiledTrees Compile();
}
