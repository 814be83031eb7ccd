using RecKit.Kernels;
using RecKit.Serving;

namespace RecKit.Tests.Serving.Retrieval;

/// <summary>
/// What every <see cref="IItemIndex"/> promises (the exact scan today; the approximate index inherits these tests,
/// overriding <see cref="MinimumRecall"/>): at most k items, best first, none excluded or disallowed, k whenever k are
/// allowed, and the brute-force top-k (all of it for an exact index).
/// </summary>
public abstract class ItemIndexContract
{
    protected const int Items = 1000;
    protected const int Factors = 16;

    protected abstract IItemIndex Build(float[] itemFactors, float[] itemBias, int items, int factors);

    /// <summary>Share of the brute-force top-k an index must find (1 for an exact index).</summary>
    protected virtual double MinimumRecall => 1.0;

    private static (float[] Factors, float[] Bias) Random(int seed)
    {
        var random = new Random(seed);
        var factors = new float[Items * Factors];
        var bias = new float[Items];
        for (var j = 0; j < factors.Length; j++)
        {
            factors[j] = (float)((random.NextDouble() * 2) - 1);
        }

        for (var i = 0; i < Items; i++)
        {
            bias[i] = (float)(random.NextDouble() * 0.1);
        }

        return (factors, bias);
    }

    /// <summary>The plain reference: every score, excluded and disallowed items dropped, best first, ties to the lower index.</summary>
    private static int[] BruteForce(float[] factors, float[] bias, float[] query, float offset, int k, int[] excluded, Func<int, bool>? allow) =>
        Enumerable.Range(0, Items)
            .Where(i => !excluded.Contains(i) && (allow is null || allow(i)))
            .Select(i => (Item: i, Score: offset + bias[i] + Enumerable.Range(0, Factors).Sum(f => query[f] * factors[(i * Factors) + f])))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Item).Take(k).Select(p => p.Item).ToArray();

    public static TheoryData<int, int> Cases() => new() { { 1, 1 }, { 2, 10 }, { 3, 100 }, { 4, 10 } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Search_ReturnsTheTopK_WithoutExcludedOrDisallowedItems(int seed, int k)
    {
        var (factors, bias) = Random(seed);
        var index = Build(factors, bias, Items, Factors);
        Assert.Equal(Items, index.Count);
        Assert.Equal(Factors, index.Dimensions);
        var query = Random(seed + 100).Factors[..Factors];
        var truth = BruteForce(factors, bias, query, 0.5f, k, [], null);
        int[] excluded = [.. truth.Take(k / 2).Append(7).Append(500).Distinct().Order()];
        Func<int, bool> allow = i => i % 3 != 0;

        foreach (var (ex, filter) in new[] { (Array.Empty<int>(), (Func<int, bool>?)null), (excluded, null), (excluded, allow) })
        {
            var expected = BruteForce(factors, bias, query, 0.5f, k, ex, filter);
            var (items, scores) = index.Search(query, 0.5f, k, ex, filter);
            Assert.Equal(k, items.Length);
            Assert.Equal(items.Length, scores.Length);
            Assert.All(items, i => Assert.DoesNotContain(i, ex));
            Assert.All(items, i => Assert.True(filter is null || filter(i)));
            Assert.All(scores, s => Assert.True(float.IsFinite(s)));
            Assert.Equal(scores.OrderDescending(), scores);
            if (index.IsExact)
            {
                Assert.Equal(k, items.Intersect(expected).Count());
            }
            else if (k >= 10)
            {
                // One query's recall says little of a graph built by several threads (not the same twice: one query found 8
                // of 10 in one run of many): the floor holds for the mean over 20 queries, this one among them.
                var recall = Enumerable.Range(0, 20).Average(q =>
                {
                    var other = q == 0 ? query : Random(seed + 200 + q).Factors[..Factors];
                    var (found, _) = index.Search(other, 0.5f, k, ex, filter);
                    return found.Intersect(BruteForce(factors, bias, other, 0.5f, k, ex, filter)).Count() / (double)k;
                });
                Assert.True(recall >= MinimumRecall, $"mean recall@{k} {recall:F3} over 20 queries");
            }
            else
            {
                // A recall floor on one query of a few items says little of an approximate index (its graph is built by
                // several threads, so not the same twice): each answer must lie among the true top 10 instead.
                var near = BruteForce(factors, bias, query, 0.5f, 10, ex, filter);
                Assert.All(items, i => Assert.Contains(i, near));
            }
            if (index.IsExact)
            {
                Assert.Equal(expected, items);
            }
        }
    }

    [Fact]
    public void AUserWhoExcludesTheWholeHead_StillGetsTheTopKOfTheRest()
    {
        var (factors, bias) = Random(11);
        var index = Build(factors, bias, Items, Factors);
        var found = 0;
        for (var q = 0; q < 10; q++)
        {
            var query = Random(111 + q).Factors[..Factors];
            int[] excluded = [.. BruteForce(factors, bias, query, 0, 400, [], null).Order()]; // a heavy user: 400 seen, all near the top
            var expected = BruteForce(factors, bias, query, 0, 10, excluded, null);
            var (items, _) = index.Search(query, 0, 10, excluded, null);
            Assert.Equal(10, items.Length);
            Assert.All(items, i => Assert.DoesNotContain(i, excluded));
            found += items.Intersect(expected).Count();
        }

        Assert.True(found >= MinimumRecall * 100, $"found {found} of the true top 10 of 10 such users"); // a graph's floor holds on the mean
    }

    [Fact]
    public void AFilterThatThrows_FailsTheSearch_WithItsException()
    {
        var (factors, bias) = Random(12);
        var index = Build(factors, bias, Items, Factors);
        var error = Assert.Throws<InvalidOperationException>(() => index.Search(new float[Factors], 0, 10, [], i => i < 900 ? true : throw new InvalidOperationException("filter failed")));
        Assert.Equal("filter failed", error.Message);
        Assert.Equal(10, index.Search(new float[Factors], 0, 10, [], null).Items.Length); // and the next search is unaffected
    }

    [Fact]
    public void Search_ReturnsFewerThanK_OnlyWhenFewerAreAllowed()
    {
        var (factors, bias) = Random(9);
        var index = Build(factors, bias, Items, Factors);
        var query = new float[Factors];
        query[0] = 1;
        var (items, _) = index.Search(query, 0, 10, [0, 1, 2], i => i < 5);
        Assert.Equal([3, 4], items.Order());
    }
}

public sealed class ExactItemIndexTests : ItemIndexContract
{
    protected override IItemIndex Build(float[] itemFactors, float[] itemBias, int items, int factors) =>
        new ExactItemIndex(new PackedItemFactors(itemFactors, items, factors, itemBias));
}

/// <summary>The HNSW index (USearch) in two shards: the contract with a recall floor, and what only it does (save and open memory-mapped, concurrent searches).</summary>
public sealed class HnswItemIndexTests : ItemIndexContract, IDisposable
{
    private readonly List<HnswItemIndex> _built = [];
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-hnsw-").FullName;

    protected override double MinimumRecall => 0.9;

    protected override IItemIndex Build(float[] itemFactors, float[] itemBias, int items, int factors)
    {
        var index = HnswItemIndex.Build(itemFactors, itemBias, items, factors, new HnswOptions { Shards = 2 });
        _built.Add(index);
        return index;
    }

    public void Dispose()
    {
        _built.ForEach(i => i.Dispose());
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Saved_AndOpenedMemoryMapped_ItAnswersAsBuilt_AndConcurrentSearchesAgree()
    {
        var random = new Random(5);
        var factors = Enumerable.Range(0, Items * Factors).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, Items).Select(_ => (float)(random.NextDouble() * 0.1)).ToArray();
        var built = (HnswItemIndex)Build(factors, bias, Items, Factors);
        var paths = built.Save(Path.Combine(_dir, "als"));
        Assert.Equal(2, paths.Count);
        using var opened = HnswItemIndex.Open(paths, Items, Factors);
        Assert.Equal(64, built.SearchesAtOnce); // room for many searches at once, built or memory-mapped
        Assert.Equal(64, opened.SearchesAtOnce);
        Assert.Equal(new HnswOptions().ExpansionSearch, built.ExpansionSearch);
        Assert.Equal(built.ExpansionSearch, opened.ExpansionSearch); // opened from disk, it searches as wide as built
        var queries = Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, Factors).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        var serial = queries.Select(q => built.Search(q, 0.25f, 10, [3, 9], null)).ToArray();
        var parallel = new (int[] Items, float[] Scores)[queries.Length];
        Parallel.For(0, queries.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, j => parallel[j] = opened.Search(queries[j], 0.25f, 10, [3, 9], null));
        for (var j = 0; j < queries.Length; j++)
        {
            Assert.Equal(serial[j].Items, parallel[j].Items);
            Assert.Equal(serial[j].Scores, parallel[j].Scores);
        }

        Assert.Throws<InvalidDataException>(() => HnswItemIndex.Open(paths, Items + 1, Factors)); // not this model's index
    }
}

/// <summary>The default HNSW index: one graph that several threads fill at once.</summary>
public sealed class HnswOneGraphItemIndexTests : ItemIndexContract, IDisposable
{
    private readonly List<HnswItemIndex> _built = [];

    protected override double MinimumRecall => 0.9;

    protected override IItemIndex Build(float[] itemFactors, float[] itemBias, int items, int factors)
    {
        // More adding threads than this machine has cores: each needs its own insertion context.
        var index = HnswItemIndex.Build(itemFactors, itemBias, items, factors, new HnswOptions { Threads = 8 });
        _built.Add(index);
        return index;
    }

    public void Dispose() => _built.ForEach(i => i.Dispose());

    [Fact]
    public void EveryItem_IsInTheGraph()
    {
        var random = new Random(21);
        var factors = Enumerable.Range(0, Items * Factors).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var index = (HnswItemIndex)Build(factors, new float[Items], Items, Factors);
        Assert.Equal(Items, index.Count);
        Assert.All(Enumerable.Range(0, Items), i => Assert.True(index.Holds(i), $"item {i} is not in the graph"));
        Assert.False(index.Holds(Items));
    }
}


/// <summary>The norm-ordered exact scan: the contract of an exact index, and the bound that lets it stop early.</summary>
public sealed class NormOrderedItemIndexTests : ItemIndexContract
{
    protected override IItemIndex Build(float[] itemFactors, float[] itemBias, int items, int factors) =>
        new NormOrderedItemIndex(new PackedItemFactors(itemFactors, items, factors, itemBias));

    /// <summary>Factors of a long-tailed catalogue: item i's vector shrinks as a power of its rank.</summary>
    private static (float[] Factors, float[] Bias) LongTailed(int items, int factors, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[items * factors];
        var bias = new float[items];
        for (var i = 0; i < items; i++)
        {
            var norm = 5f * MathF.Pow(1 + ((i * 7919) % items), -0.9f); // popular items scattered through the index range
            for (var f = 0; f < factors; f++)
            {
                vectors[(i * factors) + f] = norm * (float)((random.NextDouble() * 2) - 1);
            }

            bias[i] = norm * 0.1f * (float)random.NextDouble();
        }

        return (vectors, bias);
    }

    [Theory]
    [InlineData(1, 0f)]
    [InlineData(10, 0.3f)]
    [InlineData(200, -1f)]
    public void OnALongTail_ItReadsFewItems_AndAnswersAsThePlainScan(int k, float offset)
    {
        const int items = 20_000, factors = 32;
        var (vectors, bias) = LongTailed(items, factors, 4);
        var packed = new PackedItemFactors(vectors, items, factors, bias);
        var index = new NormOrderedItemIndex(packed);
        var scan = new ExactItemIndex(packed);
        var random = new Random(8);
        var reads = new List<int>();
        for (var q = 0; q < 50; q++)
        {
            var query = Enumerable.Range(0, factors).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            int[] excluded = [.. scan.Search(query, offset, 5, [], null).Items.Order()]; // the user has seen the best five
            Func<int, bool>? allow = q % 2 == 0 ? null : i => i % 5 != 0;
            var expected = scan.Search(query, offset, k, excluded, allow);
            var found = index.Search(query, offset, k, excluded, allow, out var read);
            Assert.Equal(expected.Items, found.Items);
            Assert.Equal(expected.Scores, found.Scores);
            reads.Add(read);
        }

        reads.Sort();
        Assert.True(reads[reads.Count / 2] < items / 4, $"the median search read {reads[reads.Count / 2]} of {items} items");
    }

    [Fact]
    public void ItsShareRead_TellsALongTailFromEqualNorms()
    {
        const int items = 5_000, factors = 16;
        var (tailed, tailedBias) = LongTailed(items, factors, 2);
        var model = new Random(3);
        var users = Enumerable.Range(0, 50 * factors).Select(_ => (float)((model.NextDouble() * 2) - 1)).ToArray();
        var longTail = new FixedFactors(users, new PackedItemFactors(tailed, items, factors, tailedBias));
        Assert.True(new NormOrderedItemIndex(longTail.PackedItems).MedianShareRead(longTail) < 0.2);

        var flat = new float[items * factors]; // every item on the unit sphere: the bound never stops the scan early
        for (var i = 0; i < items; i++)
        {
            var row = flat.AsSpan(i * factors, factors);
            for (var f = 0; f < factors; f++)
            {
                row[f] = (float)((model.NextDouble() * 2) - 1);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(row, System.Numerics.Tensors.TensorPrimitives.Norm(row), row);
        }

        var sphere = new FixedFactors(users, new PackedItemFactors(flat, items, factors));
        Assert.True(new NormOrderedItemIndex(sphere.PackedItems).MedianShareRead(sphere) > 0.9);
    }

    /// <summary>A factor model of given user vectors and items, for the share-read check.</summary>
    private sealed class FixedFactors(float[] users, PackedItemFactors items) : RecKit.Models.IFactorModel
    {
        public int Factors => items.Factors;

        public PackedItemFactors PackedItems => items;

        public int UserCount => users.Length / items.Factors;

        public int ItemCount => items.ItemCount;

        public bool TryGetUserVector(int user, Span<float> vector, out float offset)
        {
            users.AsSpan(user * Factors, Factors).CopyTo(vector);
            offset = 0;
            return true;
        }

        public bool IsKnownUser(int user) => true;

        public void ScoreAll(int user, Span<float> scores) => throw new NotSupportedException();

        public void Score(int user, ReadOnlySpan<int> items, Span<float> scores) => throw new NotSupportedException();
    }
}
