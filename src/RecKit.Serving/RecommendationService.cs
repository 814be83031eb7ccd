using RecKit.Bundles;

namespace RecKit.Serving;

/// <summary>
/// The online layer of seed 003 §8.2 behind the HTTP API: reads the current bundle and the live interactions, answers
/// recommendation, similar-item and popular-item requests, ingests interactions durably (acknowledged only after the
/// store's commit) so that they change the user's next answer at once, logs impressions and clicks with their
/// variant, and swaps to a newer bundle without dropping a request. Every request field is checked here; a bad one
/// is a <see cref="RequestFieldException"/>.
/// </summary>
public sealed class RecommendationService : IAsyncDisposable
{
    private readonly ServiceOptions _options;
    private readonly BundleStore _bundles;
    private readonly Lock _swap = new();
    private readonly Lock _reloadGate = new(); // one reload at a time (the watcher and /admin/reload may race)
    private volatile ServingSnapshot _current;

    private RecommendationService(ServiceOptions options, InteractionStore store, ServingSnapshot snapshot)
    {
        _options = options;
        _bundles = new BundleStore(options.BundleRoot);
        Store = store;
        _current = snapshot;
    }

    public InteractionStore Store { get; }

    public ServingSnapshot Current => _current;

    public ServiceOptions Options => _options;

    /// <summary>Bundles refused since start (damaged, partial or failing their smoke queries).</summary>
    public long RejectedReloads => Interlocked.Read(ref _rejected);

    private long _rejected;

    /// <summary>Opens the store and loads the current bundle; fails when there is no good bundle to serve.</summary>
    public static RecommendationService Start(ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var bundles = new BundleStore(options.BundleRoot);
        var version = bundles.CurrentVersion() ?? throw new BundleException($"{Path.Combine(bundles.Root, BundleStore.CurrentFile)}: missing; no bundle to serve (reckit run writes one).");
        var bundle = ServingBundle.Load(bundles.PathOf(version));
        var store = InteractionStore.Open(options.DatabasePath);
        var service = new RecommendationService(options, store, new ServingSnapshot(bundle, new LiveInteractions()));
        service._current = new ServingSnapshot(bundle, service.Replay(bundle));
        return service;
    }

    /// <summary>
    /// Loads the bundle "current" names if it is not the one serving: verified and smoke-tested beside the serving one,
    /// then swapped in one reference write (requests in flight finish on the old one). A bad bundle is refused and the
    /// old one keeps serving. Returns the serving version, why a bundle was refused (null: none was), and whether this
    /// call swapped.
    /// </summary>
    public (string Version, string? Refused, bool Swapped) Reload()
    {
        lock (_reloadGate)
        {
            return ReloadOnce();
        }
    }

    private (string Version, string? Refused, bool Swapped) ReloadOnce()
    {
        string? version;
        try
        {
            version = _bundles.CurrentVersion();
        }
        catch (IOException ex)
        {
            Interlocked.Increment(ref _rejected);
            return (_current.Bundle.Version, ex.Message, false);
        }

        if (version is null || version == _current.Bundle.Version)
        {
            return (_current.Bundle.Version, null, false);
        }

        ServingBundle bundle;
        try
        {
            bundle = ServingBundle.Load(_bundles.PathOf(version));
        }
        catch (BundleException ex)
        {
            Interlocked.Increment(ref _rejected);
            return (_current.Bundle.Version, ex.Message, false);
        }

        lock (_swap)
        {
            _current = new ServingSnapshot(bundle, Replay(bundle));
        }

        return (bundle.Version, null, true);
    }

    public RecommendationAnswer Recommend(string user, int k, string? variant = null, string? label = null, bool explain = false)
    {
        CheckUser(user, "id");
        CheckK(k);
        var snapshot = _current;
        var bundle = snapshot.Bundle;
        var (ranker, arm) = Choose(bundle, user, variant);
        var filter = Filter(bundle, label);
        var live = LiveUserOf(snapshot, user);
        var cold = live.Index < 0 && live.History.Length == 0;
        if (live.Index < 0 && variant is null)
        {
            ranker = bundle.VisitorRanker; // a user first seen after the bundle: ranked from their live history
        }

        var answer = cold ? bundle.Popular.Recommend(live, k, filter) : ranker.Recommend(live, k, filter);
        return new RecommendationAnswer(user, Items(bundle, answer, explain), bundle.Version, cold ? "popularity" : ranker.Name, arm, cold);
    }

    /// <summary>A visitor known only by the items they have seen: no state is kept for them.</summary>
    public RecommendationAnswer RecommendForHistory(IReadOnlyList<string> items, int k, string? variant = null)
    {
        CheckK(k);
        if (items.Count > _options.MaxBatch)
        {
            throw new RequestFieldException("history", $"history holds {items.Count} items; at most {_options.MaxBatch} are accepted.");
        }

        var bundle = _current.Bundle;
        var indices = new List<int>(items.Count);
        for (var j = 0; j < items.Count; j++)
        {
            indices.Add(ItemIndex(bundle, items[j], $"history[{j}]"));
        }

        var ranker = variant is null ? bundle.VisitorRanker : Variant(bundle, variant);
        var visitor = LiveUser.Visitor(indices);
        var cold = indices.Count == 0;
        var answer = cold ? bundle.Popular.Recommend(visitor, k) : ranker.Recommend(visitor, k);
        return new RecommendationAnswer(string.Empty, Items(bundle, answer, explain: false), bundle.Version, cold ? "popularity" : ranker.Name, null, cold);
    }

    public RecommendationAnswer Similar(string item, int k)
    {
        CheckK(k);
        var bundle = _current.Bundle;
        var index = ItemIndex(bundle, item, "id");
        var similar = bundle.Similar ?? throw new RequestFieldException("id", "this bundle has no model of item similarity (item-kNN or a factor model).");
        var (items, scores) = similar.Model.SimilarItems(index, k);
        return new RecommendationAnswer(string.Empty, Items(bundle, new RankedItems(items, scores), explain: false), bundle.Version, similar.Name, null, false);
    }

    public RecommendationAnswer Popular(int k, string? label = null)
    {
        CheckK(k);
        var bundle = _current.Bundle;
        var answer = bundle.Popular.Recommend(LiveUser.Visitor([]), k, Filter(bundle, label));
        return new RecommendationAnswer(string.Empty, Items(bundle, answer, explain: false), bundle.Version, "popularity", null, false);
    }

    /// <summary>
    /// Stores the interactions durably (one group commit) and applies them to the live state; only then does the call
    /// complete. Every field is checked before anything is stored: one bad interaction refuses the whole batch.
    /// </summary>
    public async Task<long[]> IngestAsync(IReadOnlyList<StoredInteraction> interactions)
    {
        if (interactions.Count == 0)
        {
            throw new RequestFieldException("interactions", "no interactions given.");
        }

        if (interactions.Count > _options.MaxBatch)
        {
            throw new RequestFieldException("interactions", $"{interactions.Count} interactions in one request; at most {_options.MaxBatch}.");
        }

        var bundle = _current.Bundle;
        var prefix = interactions.Count == 1 ? string.Empty : "interactions[";
        for (var j = 0; j < interactions.Count; j++)
        {
            var at = interactions.Count == 1 ? string.Empty : $"{prefix}{j}].";
            var x = interactions[j];
            CheckUser(x.User, at + "user");
            ItemIndex(bundle, x.Item, at + "item");
            if (!_options.FeedbackTypes.IsKnown(x.Type))
            {
                throw new RequestFieldException(at + "type", $"unknown type '{x.Type}'; configured: {string.Join(", ", _options.FeedbackTypes.Weights.Keys)}.");
            }

            if (!double.IsFinite(x.Value) || x.Value <= 0 || x.Value > 1e6)
            {
                throw new RequestFieldException(at + "value", $"must be a number above 0 and at most 1e6; it is {x.Value}.");
            }
        }

        var ids = await Store.AppendAsync(interactions).ConfigureAwait(false);
        lock (_swap)
        {
            var snapshot = _current;
            for (var j = 0; j < interactions.Count; j++)
            {
                Apply(snapshot.Bundle, snapshot.Live, interactions[j], ids[j]);
            }
        }

        return ids;
    }

    /// <summary>Logs impressions or clicks with the variant and arm the user is served by now.</summary>
    public Task LogFeedbackAsync(string user, IReadOnlyList<string> items, string kind)
    {
        CheckUser(user, "user");
        if (items.Count == 0 || items.Count > _options.MaxBatch)
        {
            throw new RequestFieldException("items", $"give between 1 and {_options.MaxBatch} items; got {items.Count}.");
        }

        var bundle = _current.Bundle;
        for (var j = 0; j < items.Count; j++)
        {
            ItemIndex(bundle, items[j], $"items[{j}]");
        }

        var (ranker, arm) = Choose(bundle, user, null);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Store.AppendFeedbackAsync(items.Select(i => new StoredFeedback(user, i, kind, ranker.Name, arm ?? "", bundle.Version, now)).ToList());
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    private LiveInteractions Replay(ServingBundle bundle)
    {
        var live = new LiveInteractions();
        foreach (var x in Store.ReadSince(bundle.Manifest.IngestedThrough))
        {
            if (_options.FeedbackTypes.IsKnown(x.Type))
            {
                Apply(bundle, live, x, x.Id);
            }
        }

        return live;
    }

    /// <summary>One stored interaction into the live state, if the bundle has its item (a retrained bundle may not).</summary>
    private void Apply(ServingBundle bundle, LiveInteractions live, StoredInteraction x, long id)
    {
        if (bundle.Items.TryGetIndex(x.Item, out var item))
        {
            live.Apply(x.User, item, (float)(_options.FeedbackTypes.Weights[x.Type] * x.Value), id);
        }
    }

    private static LiveUser LiveUserOf(ServingSnapshot snapshot, string user)
    {
        var bundle = snapshot.Bundle;
        return bundle.Users.TryGetIndex(user, out var index)
            ? snapshot.Live.User(user, index, bundle.History.RowColumns(index), bundle.History.RowValues(index))
            : snapshot.Live.User(user, -1, [], []);
    }

    private (IRanker Ranker, string? Arm) Choose(ServingBundle bundle, string user, string? variant)
    {
        if (variant is not null)
        {
            return (Variant(bundle, variant), null);
        }

        if (_options.Experiment is { } experiment)
        {
            var arm = experiment.Assign(user);
            return (bundle.HasVariant(arm.Variant) ? bundle.Ranker(arm.Variant) : bundle.Ranker(bundle.Manifest.DefaultVariant), arm.Name);
        }

        return (bundle.Ranker(bundle.Manifest.DefaultVariant), null);
    }

    private static IRanker Variant(ServingBundle bundle, string variant) =>
        bundle.HasVariant(variant) ? bundle.Ranker(variant) : throw new RequestFieldException("variant", $"unknown variant '{variant}'; this bundle offers {string.Join(", ", bundle.Variants)}.");

    private static Func<int, bool>? Filter(ServingBundle bundle, string? label) =>
        label is null ? null : bundle.LabelFilter(label) ?? throw new RequestFieldException("genre", $"no item carries the label '{label}'.");

    private static int ItemIndex(ServingBundle bundle, string? item, string field)
    {
        if (string.IsNullOrEmpty(item))
        {
            throw new RequestFieldException(field, "an item id is required.");
        }

        return bundle.Items.TryGetIndex(item, out var index) ? index : throw new RequestFieldException(field, $"unknown item '{Shorten(item)}': not in bundle {bundle.Version}'s catalogue.");
    }

    private static void CheckUser(string? user, string field)
    {
        if (string.IsNullOrEmpty(user) || user.Length > 256)
        {
            throw new RequestFieldException(field, "a user id of 1 to 256 characters is required.");
        }
    }

    private void CheckK(int k)
    {
        if (k < 1 || k > _options.MaxK)
        {
            throw new RequestFieldException("k", $"must be between 1 and {_options.MaxK}; it is {k}.");
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static List<RecommendedItem> Items(ServingBundle bundle, RankedItems answer, bool explain)
    {
        var width = answer.FeatureNames?.Count ?? 0;
        var list = new List<RecommendedItem>(answer.Items.Length);
        for (var j = 0; j < answer.Items.Length; j++)
        {
            var entry = bundle.Catalogue[answer.Items[j]];
            Dictionary<string, float>? features = null;
            if (explain && answer.Features is { } rows)
            {
                features = new Dictionary<string, float>(width);
                for (var f = 0; f < width; f++)
                {
                    features[answer.FeatureNames![f]] = rows[(j * width) + f];
                }
            }

            list.Add(new RecommendedItem(entry.Id, entry.Title, answer.Scores[j], entry.Labels, features));
        }

        return list;
    }
}
