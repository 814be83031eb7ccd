using RecKit.Data;
using RecKit.Kernels;

namespace RecKit.Models;

/// <summary>
/// Sequential item-kNN: two items are alike when users interact with them close together in time. Each user's history
/// is ordered by timestamp; every pair of its interactions at most <see cref="SequenceKnnOptions.Window"/> places apart
/// adds 1/distance to the pair's weight, and the weight is divided by √(n_i n_j) (the items' interaction counts) like
/// a cosine. Each item keeps its best neighbours; the result is an <see cref="ItemKnnModel"/> (scoring, similar items,
/// live histories and model files are item-kNN's) that ranks only: it predicts no ratings.
/// </summary>
/// <remarks>
/// Where the held-out interactions of an evaluation fall between a user's training interactions in time (a random
/// per-user or per-item split), the neighbours of the user's items in time are what they consumed in the same sessions:
/// a strong signal there. Served, the same pairs say what people take up next to the items of a history.
/// </remarks>
public sealed class SequenceKnnTrainer : ITrainer<ItemKnnModel>
{
    private readonly SequenceKnnOptions _options;

    public SequenceKnnTrainer(SequenceKnnOptions? options = null)
    {
        _options = options ?? new SequenceKnnOptions();
        _options.Validate();
    }

    public ItemKnnModel Fit(Interactions train, TrainingContext? context = null)
    {
        context ??= TrainingContext.None;
        if (!train.HasTimestamps && train.Count > 0)
        {
            throw new ArgumentException("Model 'seqknn' pairs the items each user interacted with close together in time, and these interactions have no timestamps: give the interactions file a timestamp column, or name another model.");
        }

        context.Report("items in time", 0, 1);
        var sequences = TimeOrdered(train);
        var counts = train.CountPerItem();
        var neighbours = Neighbours(sequences, train.ItemCount, counts);
        context.Report("items in time", 1, 1);
        var baseline = new BiasModel(0, new float[train.UserCount], new float[train.ItemCount], new bool[train.UserCount], 0, 0);
        var popularity = Array.ConvertAll(counts, c => (float)c);
        return new ItemKnnModel(neighbours, train.ByUser, baseline, popularity, predictionNeighbours: 1, predictsRatings: false);
    }

    /// <summary>Every user's items in the order they were interacted with (equal timestamps in the order of the data).</summary>
    internal static (int[] Start, int[] Items) TimeOrdered(Interactions train)
    {
        // Positions grouped by user, ascending within each user, then each user's put in time order.
        var byUser = GroupedPositions.Of(train.Users, train.UserCount);
        var (start, positions) = byUser;
        var timestamps = train.Timestamps.ToArray();
        Comparison<int> byTime = (a, b) => timestamps[a] != timestamps[b] ? timestamps[a].CompareTo(timestamps[b]) : a.CompareTo(b);
        for (var u = 0; u < train.UserCount; u++)
        {
            byUser.Group(u).Sort(byTime);
        }

        var items = train.Items;
        var ordered = new int[positions.Length];
        for (var p = 0; p < positions.Length; p++)
        {
            ordered[p] = items[positions[p]];
        }

        return (start, ordered);
    }

    private CsrMatrix Neighbours((int[] Start, int[] Items) sequences, int itemCount, int[] counts)
    {
        var (start, sequence) = sequences;
        var userAt = new int[sequence.Length];
        for (var u = 0; u + 1 < start.Length; u++)
        {
            userAt.AsSpan(start[u], start[u + 1] - start[u]).Fill(u);
        }

        var occurrences = GroupedPositions.Of(sequence, itemCount); // where each item stands in the sequences

        var window = _options.Window;
        var keep = _options.Neighbours;
        var rows = new int[itemCount][];
        var values = new float[itemCount][];
        WorkerLoop.For(
            itemCount,
            new ParallelOptions { MaxDegreeOfParallelism = _options.Threads ?? Environment.ProcessorCount },
            () => new Scratch(itemCount, keep),
            (a, scratch) =>
            {
                var weights = scratch.Weights;
                var touched = scratch.Touched;
                touched.Clear();
                foreach (var p in occurrences.Group(a))
                {
                    var u = userAt[p];
                    var low = Math.Max(start[u], p - window);
                    var high = Math.Min(start[u + 1] - 1, p + window);
                    for (var q = low; q <= high; q++)
                    {
                        var b = sequence[q];
                        if (b == a)
                        {
                            continue;
                        }

                        if (weights[b] == 0)
                        {
                            touched.Add(b);
                        }

                        weights[b] += 1f / Math.Abs(q - p);
                    }
                }

                var candidates = touched.Count;
                if (scratch.Similarities.Length < candidates)
                {
                    scratch.Similarities = new float[candidates];
                }

                var similarities = scratch.Similarities.AsSpan(0, candidates);
                var na = (double)counts[a];
                for (var j = 0; j < candidates; j++)
                {
                    var b = touched[j];
                    similarities[j] = (float)(weights[b] / Math.Sqrt(na * counts[b]));
                    weights[b] = 0;
                }

                var kept = TopK.SelectPairs(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(touched), similarities, keep, scratch.TopItems, scratch.TopValues);
                var ids = scratch.TopItems.AsSpan(0, kept).ToArray();
                var sims = scratch.TopValues.AsSpan(0, kept).ToArray();
                Array.Sort(ids, sims); // the CSR invariant: columns ascending
                rows[a] = ids;
                values[a] = sims;
            });

        return CsrMatrix.FromRows(itemCount, rows, values);
    }

    /// <summary>One worker's dense pair weights (kept all zero between items), the items it touched and the top-k buffers.</summary>
    private sealed class Scratch(int items, int keep)
    {
        public float[] Weights { get; } = new float[items];

        public List<int> Touched { get; } = [];

        public float[] Similarities { get; set; } = new float[Math.Min(items, 1024)];

        public int[] TopItems { get; } = new int[Math.Min(items, keep)];

        public float[] TopValues { get; } = new float[Math.Min(items, keep)];
    }
}
