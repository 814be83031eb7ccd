using RecKit.Data;
using RecKit.Kernels;

namespace RecKit.Models;

/// <summary>
/// Item-based collaborative filtering (design note 3 §4.2): cosine similarity between items' user columns (optionally
/// TF-IDF or BM25 weighted, with shrinkage), the top neighbours kept per item, computed in parallel from the
/// sparse matrix. A bias baseline is fitted alongside for rating predictions and their fallback.
/// </summary>
public sealed class ItemKnnTrainer : ITrainer<ItemKnnModel>
{
    private readonly ItemKnnOptions _options;

    public ItemKnnTrainer(ItemKnnOptions? options = null)
    {
        _options = options ?? new ItemKnnOptions();
        _options.Validate();
    }

    public ItemKnnModel Fit(Interactions train, TrainingContext? context = null)
    {
        context ??= TrainingContext.None;
        var byUser = train.ByUser;
        var weighted = Weight(byUser);
        var byItem = weighted.Transpose(_options.Threads ?? Environment.ProcessorCount);
        context.Report("item similarities", 0, 1);
        var neighbours = SparseCosine.TopNeighbours(byItem, weighted, _options.Neighbours, _options.Shrink, _options.Threads ?? Environment.ProcessorCount);
        context.Report("item similarities", 1, 1);
        // The baseline serves rating predictions only; implicit data has none to predict, so it is not fitted there.
        var baseline = train.HasRatings
            ? new BiasTrainer().Fit(train, context)
            : new BiasModel(0, new float[train.UserCount], new float[train.ItemCount], new bool[train.UserCount], 0, 0);
        var popularity = train.CountPerItem().Select(c => (float)c).ToArray();
        return new ItemKnnModel(neighbours, byUser, baseline, popularity, _options.PredictionNeighbours, train.HasRatings);
    }

    /// <summary>Binary interactions, reweighted per user as asked.</summary>
    private CsrMatrix Weight(CsrMatrix byUser)
    {
        var values = new float[byUser.NonZeroCount];
        var pointers = byUser.RowPointers;
        var items = Math.Max(1, byUser.ColumnCount);
        var meanLength = byUser.RowCount == 0 ? 1 : (double)byUser.NonZeroCount / Math.Max(1, byUser.RowCount);
        for (var u = 0; u < byUser.RowCount; u++)
        {
            var length = byUser.RowLength(u);
            var weight = _options.Weighting switch
            {
                KnnWeighting.TfIdf => (float)Math.Log(1 + ((double)items / Math.Max(1, length))),
                KnnWeighting.Bm25 => (float)(2.2 / (1 + (1.2 * (0.25 + (0.75 * length / meanLength))))),
                _ => 1f,
            };
            values.AsSpan(pointers[u], length).Fill(weight);
        }

        return byUser.WithValues(values);
    }
}
