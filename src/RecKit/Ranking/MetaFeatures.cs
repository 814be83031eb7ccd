using RecKit.Data;
using RecKit.Models;

namespace RecKit.Ranking;

/// <summary>
/// Design note 3 §5's features for (user, item) pairs: one score per base model (a predicted rating for models that
/// predict ratings, the ranking score otherwise), then user n_ratings and mean rating, item n_ratings and mean
/// rating, computed on the statistics source (the part the base models saw for meta rows, train_full for test rows). Scores are computed per user in one batch call. For data
/// without ratings the counts are named n_interactions, the means mean_value (mean play count, say), and the means are
/// left out when every value is the same (binary data: they would be a constant). With <c>perUser</c>, each model's
/// score standardised over the user's candidates and its rank among them follow (<see cref="PerUserFeatures"/>):
/// <see cref="Build"/> must then be given all of a user's candidates at once. Given the candidate plan's sources, a
/// flag per source says which proposed the candidate (<see cref="CandidateSourceFlags"/>). When the statistics source
/// has timestamps, the time columns end the row (<see cref="TimeStatistics"/>). Build meta_train rows with statistics from
/// the part the base models saw, never from one holding the held-out labels: an item's count or first time would then
/// include the very interaction the row is labelled by.
/// </summary>
public sealed class MetaFeatures
{
    private readonly IReadOnlyList<(string Name, IRecommender Model)> _models;
    private readonly PairStatistics _statistics;

    private readonly FeatureRowLayout _layout;
    private readonly TimeStatistics? _time;

    /// <param name="countScale">Multiplies the statistics' counts (<see cref="PairStatistics"/>): meta rows built from a
    /// part pass the size of the data the ranked rows' statistics come from over the part's.</param>
    /// <param name="sources">The candidate plan's sources in plan order: with two or more, <see cref="Build"/> takes each
    /// candidate's sources and writes a flag column per source.</param>
    public MetaFeatures(IReadOnlyList<(string Name, IRecommender Model)> models, Interactions statistics, bool perUser = true, double countScale = 1, IReadOnlyList<string>? sources = null)
    {
        CandidateSourceFlags.CheckSourceCount(sources?.Count ?? 0, nameof(sources));

        _models = models;
        _statistics = new PairStatistics(statistics.ByUser, statistics.HasRatings, countScale);
        _time = statistics.HasTimestamps ? TimeStatistics.Of(statistics) : null;
        var flags = CandidateSourceFlags.Names(sources ?? []);
        _layout = new FeatureRowLayout(models.Count, _statistics.Count, perUser, flags.Count, _time is not null);
        FitScaledScores = perUser ? [.. models.Where(m => m.Model is not IRatingPredictor { PredictsRatings: true }).Select(m => $"score_{m.Name}")] : [];
        Names = [.. models.Select(m => $"score_{m.Name}"), .. _statistics.Names, .. perUser ? PerUserFeatures.Names(models.Select(m => m.Name)) : [], .. flags, .. _time is null ? [] : TimeStatistics.Names];
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>
    /// The raw score columns whose scale is their fit's own: ranking scores (a predicted rating is on the rating scale
    /// in every fit), when the per-user columns carry them standardised and ranked. Meta rows come from base models fitted
    /// on a part and ranked rows from models refitted on all the data, whose scores need not share their scale: a linear stack that weighs
    /// these columns learns a scale the ranked rows do not have (the logistic stack leaves them out).
    /// </summary>
    public IReadOnlyList<string> FitScaledScores { get; }

    /// <summary>Where each block of the rows starts.</summary>
    internal FeatureRowLayout Layout => _layout;

    /// <summary>Whether rows carry source flags: <see cref="Build"/> then needs each candidate's sources.</summary>
    public bool FlagsSources => _layout.Flags > 0;

    /// <summary>
    /// Writes one row of <see cref="Count"/> features per item into <paramref name="rows"/> (items × features);
    /// <paramref name="proposedBy"/>: each item's sources (bit s: the plan's source s), needed when <see cref="FlagsSources"/>.
    /// </summary>
    public void Build(int user, ReadOnlySpan<int> items, Span<float> rows, ReadOnlySpan<uint> proposedBy = default)
    {
        if (_layout.Flags > 0 && proposedBy.Length != items.Length)
        {
            throw new ArgumentException($"The rows flag the candidates' sources: {items.Length} candidates need as many source masks, not {proposedBy.Length}.", nameof(proposedBy));
        }

        var width = Count;
        Span<float> scores = items.Length <= 1024 ? stackalloc float[items.Length] : new float[items.Length];
        for (var m = 0; m < _models.Count; m++)
        {
            var model = _models[m].Model;
            if (model is IRatingPredictor { PredictsRatings: true } predictor)
            {
                for (var j = 0; j < items.Length; j++)
                {
                    scores[j] = predictor.PredictRating(user, items[j]);
                }
            }
            else
            {
                model.Score(user, items, scores);
            }

            for (var j = 0; j < items.Length; j++)
            {
                rows[(j * width) + m] = float.IsFinite(scores[j]) ? scores[j] : 0f;
            }
        }

        var userStatistics = _statistics.User(user);
        for (var j = 0; j < items.Length; j++)
        {
            _statistics.Write(userStatistics, items[j], rows.Slice((j * width) + _layout.StatisticsAt, _statistics.Count));
        }

        if (_layout.PerUser)
        {
            PerUserFeatures.Write(rows, items.Length, width, _models.Count, _layout.PerUserAt);
        }

        if (_layout.Flags > 0)
        {
            CandidateSourceFlags.Write(rows, width, _layout.FlagsAt, _layout.Flags, proposedBy);
        }

        if (_time is not null)
        {
            var anchors = _time.User(user);
            for (var j = 0; j < items.Length; j++)
            {
                _time.Write(anchors, items[j], rows.Slice((j * width) + _layout.TimeAt, TimeStatistics.Count));
            }
        }
    }
}
