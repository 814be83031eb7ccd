using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Serving;

/// <summary>
/// Design note 3 §8.2 live, per request: every candidate source gives its top-N for the user (from its approximate
/// index, its sparse scores, its sorted order, or a pass over the catalogue); the sources' top-N (excluded and disallowed items removed) are merged; each candidate gets the offline feature row (base scores,
/// then user and item statistics, per-user columns, which sources proposed it, time columns); the meta model scores the rows; the best k are returned.
/// </summary>
public sealed class StackRanker : IRanker
{
    private readonly IMetaModel _meta;
    private readonly IReadOnlyList<LiveScorer> _features;
    private readonly List<(int Scorer, int Size)> _sources;
    private readonly int[] _sourceScorers; // scorer indices that feed candidates, each scored once per request
    private readonly List<LiveScorer> _scorers;
    private readonly PairStatistics _statistics;
    private readonly FeatureRowLayout _layout; // the offline rows' blocks (bundles before per-user, flag or time columns lack them)
    private readonly TimeStatistics? _time; // the offline rows ended with the time columns

    /// <param name="features">The base models in feature order.</param>
    /// <param name="sources">Candidate sources: a scorer (a base model or popularity) and how many it contributes.</param>
    /// <param name="time">The bundle's time anchors: required when the feature names end with the time columns.</param>
    public StackRanker(IMetaModel meta, IReadOnlyList<LiveScorer> features, IReadOnlyList<(LiveScorer Scorer, int Size)> sources, PairStatistics statistics, IReadOnlyList<string> featureNames, TimeStatistics? time = null)
    {
        CandidateSourceFlags.CheckSourceCount(sources.Count, nameof(sources));
        _meta = meta;
        _features = features;
        _statistics = statistics;
        FeatureNames = featureNames;
        var scorers = features.ToList();
        var indexed = new List<(int, int)>();
        foreach (var (scorer, size) in sources)
        {
            var at = scorers.IndexOf(scorer);
            if (at < 0)
            {
                scorers.Add(scorer);
                at = scorers.Count - 1;
            }

            indexed.Add((at, size));
        }

        _scorers = scorers;
        _sources = indexed;
        _sourceScorers = indexed.Select(p => p.Item1).Distinct().ToArray();
        var perUser = PerUserFeatures.In(featureNames);
        var timed = TimeStatistics.In(featureNames);
        if (timed && time is null)
        {
            throw new ArgumentException("The stack's features end with the time columns; the bundle's time anchors are needed to serve it.", nameof(time));
        }

        _time = timed ? time : null;
        var flagged = CandidateSourceFlags.In(featureNames);
        if (flagged.Count > 0 && !flagged.SequenceEqual(sources.Select(s => s.Scorer.Name)))
        {
            throw new ArgumentException($"The stack's features flag the candidate sources {string.Join(", ", flagged)}; the ranker was given {string.Join(", ", sources.Select(s => s.Scorer.Name))}.", nameof(sources));
        }

        _layout = new FeatureRowLayout(features.Count, statistics.Count, perUser, flagged.Count, timed);
        if (featureNames.Count != _layout.Width)
        {
            throw new ArgumentException($"The stack has {featureNames.Count} feature names for {features.Count} models and {statistics.Count} statistics{(perUser ? " and per-user features" : string.Empty)}{(flagged.Count > 0 ? " and source flags" : string.Empty)}{(timed ? " and time columns" : string.Empty)}.");
        }
    }

    public string Name => _meta.Name;

    public string Kind => "stack";

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>A candidate source answered by its approximate index: the user's query vector and offset.</summary>
    private sealed record Query(IItemIndex Index, float[] Vector, float Offset);

    public RankedItems Recommend(LiveUser user, int k, Func<int, bool>? allow = null, NewCandidates? added = null)
    {
        var n = _scorers[0].ItemCount;
        var sourceCount = _sourceScorers.Length;
        var sources = new SourceScores[sourceCount];
        float[]? scratch = null;
        float[] Scratch() => scratch ??= ScoreBuffers.Rent(n); // masking for candidates, whole-catalogue scores of a feature
        try
        {
            // A candidate source scores the whole catalogue only when it must: one with a retrieval index sends the
            // user's query vector to it, item-kNN touches the neighbours of the user's items alone, popularity walks its
            // sorted order. The other models score the candidates alone.
            for (var s = 0; s < sourceCount; s++)
            {
                var scorer = _scorers[_sourceScorers[s]];
                if (scorer.Index is { } index and not ExactItemIndex) // a graph or the norm-ordered scan: both far cheaper than scoring every item
                {
                    var vector = new float[index.Dimensions];
                    if (scorer.TryQuery(user, vector, out var offset))
                    {
                        sources[s].Query = new Query(index, vector, offset);
                        continue;
                    }
                }

                if (scorer.ScoreSparse(user) is { } lease)
                {
                    sources[s].Sparse = lease;
                }
                else if (_sourceScorers[s] >= _features.Count && scorer.RanksByOrder(user))
                {
                    sources[s].Ordered = true; // a source only (no feature): its top-N is all it gives
                }
                else
                {
                    sources[s].Dense = ScoreBuffers.Rent(n);
                    scorer.ScoreAll(user, sources[s].Dense.AsSpan(0, n));
                }
            }

            var (candidates, proposedBy, floors) = Candidates(user, allow, sources, Scratch, n);
            var (fresh, freshProposedBy, freshScores) = added is null ? ([], [], []) : NewCandidateRows(user, added, floors);
            if (candidates.Length + fresh.Length == 0)
            {
                return new RankedItems([], []);
            }

            var width = FeatureNames.Count;
            var total = candidates.Length + fresh.Length;
            var rows = new float[total * width];
            var column = new float[candidates.Length];
            for (var m = 0; m < _features.Count; m++)
            {
                var source = Array.IndexOf(_sourceScorers, m);
                if (source >= 0 && sources[source].Query is { } query)
                {
                    _features[m].QueryValues(user, query.Vector, query.Offset, candidates, column);
                }
                else if (source >= 0 && sources[source].Scores(n) is { IsEmpty: false } scores)
                {
                    _features[m].FeatureValues(user, candidates, scores, column);
                }
                else
                {
                    _features[m].ScoreCandidates(user, candidates, column, Scratch());
                }

                for (var j = 0; j < candidates.Length; j++)
                {
                    rows[(j * width) + m] = float.IsFinite(column[j]) ? column[j] : 0f;
                }
            }

            // An added item: the models that score features give their score; the others cannot score it (0, as offline).
            for (var m = 0; m < _features.Count && fresh.Length > 0; m++)
            {
                var scores = freshScores.GetValueOrDefault(m) ?? NewItemRanking.Score(_features[m], user, added!);
                for (var j = 0; j < fresh.Length; j++)
                {
                    var value = scores?[fresh[j]] ?? 0f;
                    rows[((candidates.Length + j) * width) + m] = float.IsFinite(value) ? value : 0f;
                }
            }

            var userStatistics = _statistics.Summarise(user.Weights);
            for (var j = 0; j < candidates.Length; j++)
            {
                _statistics.Write(userStatistics, candidates[j], rows.AsSpan((j * width) + _layout.StatisticsAt, _statistics.Count));
            }

            for (var j = 0; j < fresh.Length; j++)
            {
                _statistics.WriteNewItem(userStatistics, rows.AsSpan(((candidates.Length + j) * width) + _layout.StatisticsAt, _statistics.Count));
            }

            if (_layout.PerUser)
            {
                PerUserFeatures.Write(rows, total, width, _features.Count, _layout.PerUserAt);
            }

            if (_layout.Flags > 0)
            {
                CandidateSourceFlags.Write(rows, width, _layout.FlagsAt, _layout.Flags, proposedBy);
                CandidateSourceFlags.Write(rows.AsSpan(candidates.Length * width), width, _layout.FlagsAt, _layout.Flags, freshProposedBy);
            }

            if (_time is not null)
            {
                // An added item has no interactions yet: zeros, as offline. Rows of the other items follow the user's anchors.
                var anchors = Anchors(user);
                for (var j = 0; j < candidates.Length; j++)
                {
                    _time.Write(anchors, candidates[j], rows.AsSpan((j * width) + _layout.TimeAt, TimeStatistics.Count));
                }
            }

            var predicted = _meta.Predict(rows, total);
            var (order, top) = ScoreBuffers.Top(predicted, k);
            var items = Array.ConvertAll(order, j => j < candidates.Length ? candidates[j] : added!.Offset + fresh[j - candidates.Length]);
            var features = new float[order.Length * width];
            for (var j = 0; j < order.Length; j++)
            {
                rows.AsSpan(order[j] * width, width).CopyTo(features.AsSpan(j * width));
            }

            return new RankedItems(items, top, FeatureNames, features);
        }
        finally
        {
            foreach (var source in sources)
            {
                source.Release();
            }

            if (scratch is not null)
            {
                ScoreBuffers.Return(scratch);
            }
        }
    }

    /// <summary>
    /// The user's time anchors: the stored ones while nothing changed; a user who acted since the bundle (or a visitor)
    /// is active now, taken as the bundle's newest interaction, their middle kept when the bundle knows them.
    /// </summary>
    private (long Last, long Middle) Anchors(LiveUser user)
    {
        var stored = user.Index >= 0 ? _time!.User(user.Index) : null;
        return stored switch
        {
            { } s when user.UsesStoredState => s,
            { } s => (Math.Max(s.Last, _time!.Newest), s.Middle),
            _ => _time!.Live,
        };
    }

    /// <summary>How one candidate source answers this request: an index query, sparse scores, its sorted order, or every item's score.</summary>
    private struct SourceScores
    {
        public Query? Query;
        public SparseItemScores? Sparse;
        public bool Ordered;
        public float[]? Dense;

        /// <summary>Every item's score when the source has them (sparse or dense); empty otherwise.</summary>
        public readonly ReadOnlySpan<float> Scores(int n) => Sparse is not null ? Sparse.All : Dense is not null ? Dense.AsSpan(0, n) : default;

        public readonly void Release()
        {
            Sparse?.Dispose();
            if (Dense is not null)
            {
                ScoreBuffers.Return(Dense);
            }
        }
    }

    /// <summary>
    /// The union of every source's top-N, ascending (the same set the offline <see cref="CandidateGenerator"/> builds),
    /// which sources proposed each (bit s: source s), and each source's floor: the lowest score in its top-N (−∞ when it
    /// found fewer than N).
    /// </summary>
    private (int[] Candidates, uint[] ProposedBy, float[] Floors) Candidates(LiveUser user, Func<int, bool>? allow, SourceScores[] sources, Func<float[]> scratch, int n)
    {
        var proposed = new ProposedCandidates();
        var floors = new float[_sources.Count];
        for (var s = 0; s < _sources.Count; s++)
        {
            var (scorer, size) = _sources[s];
            var source = sources[Array.IndexOf(_sourceScorers, scorer)];
            int[] top;
            float[] values;
            if (source.Query is { } query)
            {
                (top, values) = query.Index.Search(query.Vector, query.Offset, size, user.Excluded, allow);
            }
            else if (source.Ordered)
            {
                (top, values) = _scorers[scorer].OrderedTop(user, size, allow);
            }
            else if (source.Sparse?.Top(size, user.Excluded, allow) is { } sparseTop)
            {
                (top, values) = sparseTop;
            }
            else
            {
                var scores = scratch().AsSpan(0, n);
                source.Scores(n).CopyTo(scores);
                ScoreBuffers.Mask(scores, user.Excluded, allow);
                (top, values) = ScoreBuffers.Top(scores, size);
            }

            foreach (var item in top)
            {
                proposed.Add(item, s);
            }

            floors[s] = top.Length < size ? float.NegativeInfinity : values[^1];
        }

        var (result, proposedBy) = proposed.Ascending();
        return (result, proposedBy, floors);
    }

    /// <summary>
    /// Added items a candidate source would have put in its top-N had they been in the bundle (scored from their
    /// features, at or above the source's floor, at most N per source), ascending, with the sources that would have
    /// proposed each; and the sources' scores for them by scorer.
    /// </summary>
    private (int[] Rows, uint[] ProposedBy, Dictionary<int, float[]> Scores) NewCandidateRows(LiveUser user, NewCandidates added, float[] floors)
    {
        var scored = new Dictionary<int, float[]>();
        var proposed = new ProposedCandidates();
        for (var s = 0; s < _sources.Count; s++)
        {
            var (scorer, size) = _sources[s];
            if (!scored.TryGetValue(scorer, out var scores))
            {
                if (NewItemRanking.Score(_scorers[scorer], user, added) is not { } computed)
                {
                    continue;
                }

                scored[scorer] = scores = computed;
            }

            var (top, values) = ScoreBuffers.Top(scores, size);
            for (var j = 0; j < top.Length && values[j] >= floors[s]; j++)
            {
                proposed.Add(top[j], s);
            }
        }

        var (rows, proposedBy) = proposed.Ascending();
        return (rows, proposedBy, scored);
    }
}
