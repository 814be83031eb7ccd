using Cloud.Unum.USearch;
using RecKit.Models;

namespace RecKit.Serving;

/// <summary>Settings of <see cref="HnswItemIndex"/>: graph degree, the beam widths of building and searching, and the shards built side by side.</summary>
public sealed record HnswOptions
{
    /// <summary>Links per node (HNSW's M). Default 16.</summary>
    public int Connectivity { get; init; } = 16;

    /// <summary>Beam width while adding (efConstruction). Default 128.</summary>
    public int ExpansionAdd { get; init; } = 128;

    /// <summary>Beam width while searching (ef): recall against speed. Default 256 (recall@10 0.953 at a million items, one graph).</summary>
    public int ExpansionSearch { get; init; } = 256;

    /// <summary>Graphs the items are dealt into (a search asks each). Default 1: one graph, built by every thread at once, costs a query half what two do.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Threads adding items to a graph at once; default: one per core.</summary>
    public int? Threads { get; init; }

    public void Validate()
    {
        OptionCheck.AtLeast("hnsw option", "connectivity", Connectivity, 2);
        OptionCheck.AtLeast("hnsw option", "expansionAdd", ExpansionAdd, 1);
        OptionCheck.AtLeast("hnsw option", "expansionSearch", ExpansionSearch, 1);
        OptionCheck.AtLeast("hnsw option", "shards", Shards, 1);
        if (Threads is { } threads)
        {
            OptionCheck.AtLeast("hnsw option", "threads", threads, 1);
        }
    }
}

/// <summary>
/// The approximate index for large catalogues: HNSW graphs (USearch, inner product) over the item factors with the bias
/// as one more coordinate (an item is [y_i, b_i], a query [q, 1], so the inner product is the model's score). One graph
/// by default, every thread inserting at once (or the items dealt round-robin into several shards); a search asks every
/// shard for k items with a filter that skips excluded and disallowed ones during the walk (<see cref="FilteredHnswSearch"/>),
/// merges, and asks again with twice as many while fewer than k are found. Thread-safe for searching. Saved as one file
/// per shard and opened again memory-mapped (<see cref="Open"/>).
/// </summary>
public sealed class HnswItemIndex : IItemIndex, IDisposable
{
    private readonly USearchIndex[] _shards;

    // USearch keeps a fixed number of search contexts (one per hardware thread unless told otherwise) and a search beyond
    // them fails ("Reserve capacity ahead of searches"), so at most that many run at once and the others wait. Waiting
    // blocks a thread-pool thread, and blocked threads make the pool add threads that then time-slice the cores (the
    // tail of the latency): so each graph gets room for many searches, and the wait almost never happens.
    private const int SearchContexts = 64;

    private readonly SemaphoreSlim _contexts;

    private HnswItemIndex(USearchIndex[] shards, int count, int dimensions)
    {
        _shards = shards;
        Count = count;
        Dimensions = dimensions;
        SearchesAtOnce = shards.All(s => UsearchNative.TrySetSearchThreads(s, SearchContexts)) ? SearchContexts : Environment.ProcessorCount;
        _contexts = new SemaphoreSlim(SearchesAtOnce, SearchesAtOnce);
    }

    /// <summary>How many searches run at once before one waits.</summary>
    internal int SearchesAtOnce { get; }

    /// <summary>Whether the graphs hold <paramref name="item"/>.</summary>
    internal bool Holds(int item) => _shards.Any(s => s.Contains((ulong)item));

    /// <summary>The beam width of this index's searches (each shard's).</summary>
    internal int ExpansionSearch => UsearchNative.ExpansionSearch(_shards[0]);

    public int Count { get; }

    public int Dimensions { get; }

    public bool IsExact => false;

    /// <summary>Items added to a shard between progress reports.</summary>
    private const int ProgressEvery = 4096;

    /// <summary>Builds the graphs of <paramref name="items"/> × <paramref name="factors"/> row-major factors and their biases (empty: none).</summary>
    /// <param name="progress">Told how many items are in the graphs so far (every few thousand), as stage <paramref name="stage"/>.</param>
    public static HnswItemIndex Build(ReadOnlySpan<float> itemFactors, ReadOnlySpan<float> itemBias, int items, int factors, HnswOptions? options = null, IProgress<TrainingProgress>? progress = null, string stage = "items indexed")
    {
        options ??= new HnswOptions();
        options.Validate();
        if (itemFactors.Length != items * factors || (!itemBias.IsEmpty && itemBias.Length != items))
        {
            throw new ArgumentException($"{itemFactors.Length} factors and {itemBias.Length} biases for {items} items × {factors} factors.");
        }

        var shardCount = Math.Clamp(options.Shards, 1, Math.Max(1, items));
        var threads = options.Threads ?? Environment.ProcessorCount;
        var vectors = new float[items][];
        for (var i = 0; i < items; i++)
        {
            var vector = new float[factors + 1];
            itemFactors.Slice(i * factors, factors).CopyTo(vector);
            vector[factors] = itemBias.IsEmpty ? 0f : itemBias[i];
            vectors[i] = vector;
        }

        var shards = new USearchIndex[shardCount];
        long added = 0;
        try
        {
            for (var s = 0; s < shardCount; s++)
            {
                // Sized up front so that adds never grow it, then filled from every thread at once: USearch inserts
                // concurrently into one graph (one context per thread), which the binding's serial batch add does not use.
                var shard = shards[s] = new USearchIndex(MetricKind.Ip, ScalarKind.Float32, (ulong)(factors + 1), (ulong)options.Connectivity, (ulong)options.ExpansionAdd, (ulong)options.ExpansionSearch, false);
                var size = (items - s + shardCount - 1) / shardCount;
                UsearchNative.Reserve(shard, size + threads, threads); // slack: the binding checks capacity before each add
                var first = s;
                Parallel.For(
                    0,
                    size,
                    new ParallelOptions { MaxDegreeOfParallelism = threads },
                    () => 0,
                    (j, _, sinceReport) =>
                    {
                        shard.Add((ulong)(first + (j * shardCount)), vectors[first + (j * shardCount)]);
                        if (++sinceReport == ProgressEvery)
                        {
                            progress?.Report(new TrainingProgress(stage, Interlocked.Add(ref added, sinceReport), items, null));
                            sinceReport = 0;
                        }

                        return sinceReport;
                    },
                    sinceReport => progress?.Report(new TrainingProgress(stage, Interlocked.Add(ref added, sinceReport), items, null)));
            }
        }
        catch
        {
            foreach (var shard in shards)
            {
                shard?.Dispose();
            }

            throw;
        }

        return new HnswItemIndex(shards, items, factors);
    }

    /// <summary>Writes one file per shard: <paramref name="pathPrefix"/>.0.usearch, .1.usearch, ...; returns their paths.</summary>
    public IReadOnlyList<string> Save(string pathPrefix)
    {
        var paths = new List<string>(_shards.Length);
        for (var s = 0; s < _shards.Length; s++)
        {
            var path = $"{pathPrefix}.{s}.usearch";
            _shards[s].Save(path);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Opens saved shards memory-mapped (read-only views: the pages load as searches touch them).</summary>
    /// <param name="expansionSearch">The beam width of searches (a saved graph does not keep it); default <see cref="HnswOptions.ExpansionSearch"/>'s.</param>
    public static HnswItemIndex Open(IReadOnlyList<string> shardPaths, int count, int dimensions, int? expansionSearch = null)
    {
        ArgumentNullException.ThrowIfNull(shardPaths);
        var expansion = expansionSearch ?? new HnswOptions().ExpansionSearch;
        OptionCheck.AtLeast("hnsw option", "expansionSearch", expansion, 1);
        var shards = new USearchIndex[shardPaths.Count];
        try
        {
            for (var s = 0; s < shards.Length; s++)
            {
                shards[s] = new USearchIndex(shardPaths[s], true);
                UsearchNative.SetExpansionSearch(shards[s], expansion);
            }
        }
        catch (Exception ex) when (ex is USearchException or DllNotFoundException or InvalidOperationException)
        {
            foreach (var shard in shards)
            {
                shard?.Dispose();
            }

            throw new InvalidDataException($"cannot open the item index ({ex.Message}).", ex);
        }

        var total = shards.Sum(s => (long)s.Size());
        var width = shards.Length == 0 ? 0 : (int)shards[0].Dimensions();
        if (total != count || shards.Any(s => (int)s.Dimensions() != dimensions + 1))
        {
            foreach (var shard in shards)
            {
                shard.Dispose(); // read nothing from a shard after this: its native memory is gone
            }

            throw new InvalidDataException($"the item index holds {total} items of {width} dimensions; the model has {count} of {dimensions + 1}.");
        }

        return new HnswItemIndex(shards, count, dimensions);
    }

    public (int[] Items, float[] Scores) Search(ReadOnlySpan<float> query, float offset, int k, ReadOnlySpan<int> excluded, Func<int, bool>? allow)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; the index has {Dimensions}.", nameof(query));
        }

        var vector = new float[Dimensions + 1];
        query.CopyTo(vector);
        vector[Dimensions] = 1f;
        var fetch = Math.Min(Count, k);
        _contexts.Wait();
        try
        {
            return Search(vector, offset, k, excluded, allow, fetch);
        }
        finally
        {
            _contexts.Release();
        }
    }

    private (int[] Items, float[] Scores) Search(float[] vector, float offset, int k, ReadOnlySpan<int> excluded, Func<int, bool>? allow, int fetch)
    {
        while (true)
        {
            var found = new List<(int Item, float Score)>(fetch * _shards.Length);
            var keys = new ulong[fetch];
            var distances = new float[fetch];
            foreach (var shard in _shards)
            {
                var n = FilteredHnswSearch.Search(shard, vector, excluded, allow, keys.AsSpan(0, Math.Min(fetch, (int)shard.Size())), distances);
                for (var j = 0; j < n; j++)
                {
                    found.Add(((int)keys[j], 1f - distances[j] + offset)); // USearch's inner-product distance is 1 − q·x
                }
            }

            // The walk skips excluded and refused items, so fewer than k come back only when few are left or the beam
            // met mostly refused ones (a narrow filter): then ask again for twice as many.
            if (found.Count >= k || fetch >= Count)
            {
                var top = found.Where(p => float.IsFinite(p.Score)).OrderByDescending(p => p.Score).ThenBy(p => p.Item).Take(k).ToArray();
                return (Array.ConvertAll(top, p => p.Item), Array.ConvertAll(top, p => p.Score));
            }

            fetch = Math.Min(Count, fetch * 2);
        }
    }

    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            shard.Dispose();
        }

        _contexts.Dispose();
    }
}
