using RecKit.Bundles;
using RecKit.Data;

namespace RecKit.Serving;

/// <summary>
/// The online service behind the HTTP API, a thin coordinator of its parts: the bundle host (what is served, hot
/// reload), the ranking policy (which ranker, every fallback), the interaction store (durable ingest) and the live
/// user state (what changed since the bundle). It checks every request field (a bad one is a
/// <see cref="RequestFieldException"/>), answers recommendation, similar-item and popular-item requests, and ingests
/// interactions so that they change the user's next answer at once.
/// </summary>
public sealed class RecommendationService : IAsyncDisposable
{
    private readonly ServiceOptions _options;
    private readonly RankingPolicy _policy;

    private RecommendationService(ServiceOptions options, IInteractionStore store, IBundleHost host)
    {
        _options = options;
        _policy = new RankingPolicy(options.Experiment);
        Store = store;
        Host = host;
        Catalogue = new CatalogueOverrides(store.ItemStates());
        Additions = new CatalogueAdditions(store.ReadFeatures(FeatureOwner.Item));
        if (Additions.Count > 0)
        {
            // Who interacted with an added item the bundle does not hold: never recommend it back to them.
            foreach (var x in store.ReadSince(host.Current.Bundle.Manifest.IngestedThrough))
            {
                Additions.Interacted(x.User, x.Item);
            }
        }
    }

    /// <summary>Items added or updated through the service since the bundles were built.</summary>
    public CatalogueAdditions Additions { get; }

    /// <summary>The items hidden or deleted since the bundles were built; every answer leaves them out.</summary>
    public CatalogueOverrides Catalogue { get; }

    public IInteractionStore Store { get; }

    public IBundleHost Host { get; }

    public ServingSnapshot Current => Host.Current;

    public ServiceOptions Options => _options;

    /// <summary>Bundles refused since start (damaged, partial or failing their smoke queries).</summary>
    public long RejectedReloads => Host.Refused;

    /// <summary>Opens the configured store (SQLite or PostgreSQL) and hosts the current bundle; fails when there is no good bundle to serve.</summary>
    /// <param name="liveState">How each bundle's live state is made (default: in this process).</param>
    /// <param name="gate">Where a reload waits before it swaps (a cluster's rollout; default: nowhere).</param>
    public static Task<RecommendationService> StartAsync(ServiceOptions options, LiveStateFactory? liveState = null, IRolloutGate? gate = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(); // before the store is opened
        return StartAsync(options, options.OpenStore(), liveState, gate);
    }

    /// <summary>Hosts the current bundle over the given store (the service owns it from here: disposing the service closes it).</summary>
    /// <param name="liveState">How each bundle's live state is made (default: in this process).</param>
    /// <param name="gate">Where a reload waits before it swaps (a cluster's rollout; default: nowhere).</param>
    public static async Task<RecommendationService> StartAsync(ServiceOptions options, IInteractionStore store, LiveStateFactory? liveState = null, IRolloutGate? gate = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        options.Validate();
        try
        {
            var host = await FileBundleHost.StartAsync(options.BundleRoot, store, options.FeedbackTypes, liveState, gate: gate).ConfigureAwait(false);
            return new RecommendationService(options, store, host);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Loads the bundle "current" names if it is not the one serving; a bad bundle is refused and the old one keeps serving.</summary>
    public Task<ReloadResult> ReloadAsync(bool recheckRefused = false) => Host.ReloadAsync(recheckRefused);

    public async Task<RecommendationAnswer> RecommendAsync(string user, int k, string? variant = null, string? label = null, bool explain = false)
    {
        CheckUser(user, "id");
        CheckK(k);
        var snapshot = Host.Current;
        var bundle = snapshot.Bundle;
        if (variant is not null)
        {
            RankingPolicy.Variant(bundle, variant); // an unknown variant is a request error before anything else
        }

        var filter = Both(Filter(bundle, label), Catalogue.Allow(bundle));
        var index = bundle.Users.TryGetIndex(user, out var known) && !Host.IsErasedFrom(bundle, user) ? known : -1;
        var live = await snapshot.Live.UserAsync(user, index, bundle.History).ConfigureAwait(false);
        var added = Additions.For(bundle, Catalogue, user, label);
        var answer = _policy.Rank(bundle, live, k, filter, variant, added);
        var items = Items(bundle, answer.Items, explain, added);
        if (explain)
        {
            items = Because(bundle, items, answer.Items.Items, live.History);
        }

        return new RecommendationAnswer(user, items, bundle.Version, answer.Ranker, answer.Arm, answer.Cold, answer.Reason);
    }

    /// <summary>A visitor known only by the items they have seen: no state is kept for them.</summary>
    public RecommendationAnswer RecommendForHistory(IReadOnlyList<string> items, int k, string? variant = null)
    {
        CheckK(k);
        if (items.Count > _options.MaxBatch)
        {
            throw new RequestFieldException("history", $"history holds {items.Count} items; at most {_options.MaxBatch} are accepted.");
        }

        var bundle = Host.Current.Bundle;
        var indices = new List<int>(items.Count);
        for (var j = 0; j < items.Count; j++)
        {
            indices.Add(ItemIndex(bundle, items[j], $"history[{j}]"));
        }

        if (variant is not null)
        {
            RankingPolicy.Variant(bundle, variant);
        }

        var added = Additions.For(bundle, Catalogue, null, null);
        var answer = RankingPolicy.RankVisitor(bundle, LiveUser.Visitor(indices), k, variant, Catalogue.Allow(bundle), added);
        return new RecommendationAnswer(string.Empty, Items(bundle, answer.Items, explain: false, added), bundle.Version, answer.Ranker, null, answer.Cold, answer.Reason);
    }

    public RecommendationAnswer Similar(string item, int k)
    {
        CheckK(k);
        var bundle = Host.Current.Bundle;
        var index = ItemIndex(bundle, item, "id");
        var similar = bundle.Similar ?? throw new RequestFieldException("id", "this bundle has no model of item similarity (item-kNN or a factor model).");
        var allow = Catalogue.Allow(bundle);
        var (items, scores) = similar.Model.SimilarItems(index, allow is null ? k : k + Catalogue.States.Count);
        if (allow is not null)
        {
            var kept = Enumerable.Range(0, items.Length).Where(j => allow(items[j])).Take(k).ToArray();
            (items, scores) = (Array.ConvertAll(kept, j => items[j]), Array.ConvertAll(kept, j => scores[j]));
        }

        return new RecommendationAnswer(string.Empty, Items(bundle, new RankedItems(items, scores), explain: false), bundle.Version, similar.Name, null, false);
    }

    public RecommendationAnswer Popular(int k, string? label = null)
    {
        CheckK(k);
        var bundle = Host.Current.Bundle;
        var answer = bundle.Popular.Recommend(LiveUser.Visitor([]), k, Both(Filter(bundle, label), Catalogue.Allow(bundle)));
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

        var bundle = Host.Current.Bundle;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var j = 0; j < interactions.Count; j++)
        {
            var at = interactions.Count == 1 ? string.Empty : $"interactions[{j}].";
            var x = interactions[j];
            CheckUser(x.User, at + "user");
            if (string.IsNullOrEmpty(x.Item) || Additions.Find(x.Item) is null)
            {
                ItemIndex(bundle, x.Item, at + "item");
            }

            if (Catalogue.StateOf(x.Item) == ItemState.Deleted)
            {
                throw new RequestFieldException(at + "item", $"item '{Shorten(x.Item)}' was deleted from the catalogue.");
            }
            if (!_options.FeedbackTypes.IsKnown(x.Type))
            {
                throw new RequestFieldException(at + "type", $"unknown type '{Shorten(x.Type)}'; configured: {string.Join(", ", _options.FeedbackTypes.Weights.Keys)}.");
            }

            if (!double.IsFinite(x.Value) || x.Value <= 0 || x.Value > 1e6)
            {
                throw new RequestFieldException(at + "value", $"must be a number above 0 and at most 1e6; it is {x.Value}.");
            }

            if (!InteractionTime.IsValid(x.Timestamp, now))
            {
                throw new RequestFieldException(at + "timestamp", $"must be {InteractionTime.Window(now)}; it is {x.Timestamp}.");
            }
        }

        var ids = await Store.AppendAsync(interactions).ConfigureAwait(false);
        await Host.ApplyAsync(interactions, ids).ConfigureAwait(false);
        if (Additions.Count > 0)
        {
            foreach (var x in interactions)
            {
                Additions.Interacted(x.User, x.Item);
            }
        }

        return ids;
    }

    /// <summary>
    /// Hides, deletes or shows again one of the catalogue's items, durably, then in every answer from the next request:
    /// a hidden or deleted item is never recommended, similar or popular; a deleted one is also refused in ingest and
    /// left out of the next retrain's data.
    /// </summary>
    public async Task SetItemStateAsync(string item, ItemState state)
    {
        if (!Host.Current.Bundle.Items.TryGetIndex(item, out _) && Catalogue.StateOf(item) == ItemState.Visible && Additions.Find(item) is null)
        {
            throw new ResourceNotFoundException("id", $"unknown item '{Shorten(item)}': not in bundle {Host.Current.Bundle.Version}'s catalogue.");
        }

        await Store.SetItemStateAsync(item, state).ConfigureAwait(false);
        Catalogue.Set(item, state);
    }

    /// <summary>
    /// Adds an item to the catalogue or updates one, durably: its title and raw features (as the catalogue's item
    /// features file would hold them). A new item is accepted in ingest at once and ranked from the next request by the
    /// variants whose models score features (<see cref="ServingBundle.NewItemVariants"/>); an item the bundle holds
    /// shows its new title at once and is scored with its new features from the next retrain, which takes every change in.
    /// A deleted item put again is visible again. Every field is checked against the bundle's item features first.
    /// </summary>
    public async Task<CatalogueItemAnswer> PutItemAsync(string item, string? title, IReadOnlyDictionary<string, System.Text.Json.JsonElement>? features)
    {
        CheckUser(item, "id");
        if (title is not null && (title.Length > 1000 || title.Any(char.IsControl)))
        {
            throw new RequestFieldException("title", "a title of at most 1000 characters without control characters (tabs, line breaks) is required when one is given.");
        }

        var bundle = Host.Current.Bundle;
        var fields = FeatureFields.Read(bundle.ItemSchema, features, "features", $"bundle {bundle.Version} has no item features (its catalogue declares no item features file), so an item cannot be given features; give a title only");
        var sequence = await Store.PutFeaturesAsync(FeatureOwner.Item, item, title, fields).ConfigureAwait(false);
        Additions.Set(new FeatureRow(item, title, fields, sequence));
        if (Catalogue.StateOf(item) == ItemState.Deleted)
        {
            await Store.SetItemStateAsync(item, ItemState.Visible).ConfigureAwait(false);
            Catalogue.Set(item, ItemState.Visible);
        }

        return DescribeItem(item);
    }

    /// <summary>What the service knows of an item now: in the bundle or added since, its title, labels and state, and who ranks it.</summary>
    public CatalogueItemAnswer DescribeItem(string item)
    {
        CheckUser(item, "id");
        var bundle = Host.Current.Bundle;
        var state = Catalogue.StateOf(item).ToString().ToLowerInvariant();
        var row = Additions.Find(item);
        if (bundle.Items.TryGetIndex(item, out var index))
        {
            var entry = bundle.Catalogue[index];
            return new CatalogueItemAnswer(item, row?.Title ?? entry.Title, state, bundle.Version, true, entry.Labels, state == "visible" ? bundle.Variants.ToList() : [], [],
                row is null ? "in the bundle" : "in the bundle; its new features count from the next retrain");
        }

        if (row is null)
        {
            throw new ResourceNotFoundException("id", $"unknown item '{Shorten(item)}': not in bundle {bundle.Version}'s catalogue and never added.");
        }

        var view = Additions.View(bundle, Catalogue);
        var at = Additions.RowOf(item);
        var ranked = view.Visible[at] ? bundle.NewItemVariants : [];
        var note = view.Visible[at] ? "added since the bundle: ranked from its features until the next retrain takes it in"
            : state != "visible" ? $"added since the bundle, {state}"
            : bundle.ItemSchema is null ? "added since the bundle, which has no item features: ranked once the next retrain takes it in"
            : "added since the bundle with no feature its models know: ranked once the next retrain takes it in";
        return new CatalogueItemAnswer(item, row.Title, state, bundle.Version, false, view.Labels[at], ranked, view.Unknown[at], note);
    }

    /// <summary>
    /// Sets a user's features durably (raw, as the catalogue's user features file would hold them, checked against the
    /// bundle's user features). The next retrain takes them in; the serving bundle's models keep the user as trained.
    /// </summary>
    public async Task<UserFeaturesAnswer> PutUserFeaturesAsync(string user, IReadOnlyDictionary<string, System.Text.Json.JsonElement>? features)
    {
        CheckUser(user, "id");
        var bundle = Host.Current.Bundle;
        var fields = FeatureFields.Read(bundle.UserSchema, features, "features", $"bundle {bundle.Version} has no user features (its catalogue declares no user features file)");
        if (fields.Count == 0)
        {
            throw new RequestFieldException("features", "give at least one feature.");
        }

        await Store.PutFeaturesAsync(FeatureOwner.User, user, null, fields).ConfigureAwait(false);
        var (_, _, unknown) = bundle.UserSchema!.Encode(FeatureEncoder.Lookup(fields));
        return new UserFeaturesAnswer(user, fields, unknown, "stored; the next retrain takes them in");
    }

    /// <summary>Forgets the features set for the user through the service (the features file's row, if any, stands at the next retrain).</summary>
    public async Task DeleteUserFeaturesAsync(string user)
    {
        CheckUser(user, "id");
        if (!await Store.DeleteFeaturesAsync(FeatureOwner.User, user).ConfigureAwait(false))
        {
            throw new ResourceNotFoundException("id", $"user '{Shorten(user)}' has no features set through the service.");
        }
    }

    /// <summary>Most interactions one page of <see cref="Interactions"/> holds.</summary>
    public const int MaxPage = 1000;

    /// <summary>A page of the user's stored interactions: those with an id above <paramref name="after"/>, in id order, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<StoredInteraction> Interactions(string user, long after, int limit)
    {
        CheckUser(user, "id");
        if (limit < 1 || limit > MaxPage)
        {
            throw new RequestFieldException("limit", $"must be between 1 and {MaxPage}; it is {limit}.");
        }

        if (after < 0)
        {
            throw new RequestFieldException("after", $"must be an interaction id, 0 or more; it is {after}.");
        }

        return Store.ReadUser(user).Where(x => x.Id > after).Take(limit).ToList();
    }

    /// <summary>
    /// Deletes one of the user's interactions from the store and rebuilds their live state without it. The serving
    /// bundle keeps it if it was trained with it (id up to its IngestedThrough) until the next retrain.
    /// </summary>
    public async Task<StoredInteraction> DeleteInteractionAsync(string user, long id)
    {
        CheckUser(user, "id");
        var row = Store.ReadUser(user).FirstOrDefault(x => x.Id == id)
            ?? throw new ResourceNotFoundException("interactionId", $"user '{Shorten(user)}' has no stored interaction {id}.");
        _ = await Store.DeleteInteractionAsync(row.Id).ConfigureAwait(false);
        await Host.RefreshUserAsync(user).ConfigureAwait(false);
        Additions.Reset(user, Store.ReadUser(user));
        return row;
    }

    /// <summary>
    /// Erases a user: every stored interaction, impression and click, their live state, and their row in the serving
    /// bundle (hidden from now on: the next request treats them as unknown). Retraining leaves them out of the original
    /// data too, so no later bundle holds them. Completes with the interactions removed.
    /// </summary>
    public async Task<int> EraseUserAsync(string user)
    {
        CheckUser(user, "id");
        var removed = await Store.EraseUserAsync(user).ConfigureAwait(false);
        await Host.EraseAsync(user).ConfigureAwait(false);
        Additions.Reset(user);
        return removed;
    }

    /// <summary>Logs impressions or clicks with the variant and arm the user is assigned now.</summary>
    public Task LogFeedbackAsync(string user, IReadOnlyList<string> items, string kind)
    {
        CheckUser(user, "user");
        if (items.Count == 0 || items.Count > _options.MaxBatch)
        {
            throw new RequestFieldException("items", $"give between 1 and {_options.MaxBatch} items; got {items.Count}.");
        }

        var bundle = Host.Current.Bundle;
        for (var j = 0; j < items.Count; j++)
        {
            ItemIndex(bundle, items[j], $"items[{j}]");
        }

        var (ranker, arm, _) = _policy.Assign(bundle, user, null);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Store.AppendFeedbackAsync(items.Select(i => new StoredFeedback(user, i, kind, ranker.Name, arm ?? "", bundle.Version, now, arm is null ? "" : _options.Experiment?.Name ?? "")).ToList());
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    private static Func<int, bool>? Both(Func<int, bool>? a, Func<int, bool>? b) => a is null ? b : b is null ? a : item => a(item) && b(item);

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
        if (string.IsNullOrWhiteSpace(user) || user.Length > 256)
        {
            throw new RequestFieldException(field, "a user id of 1 to 256 characters, not only white space, is required.");
        }

        if (user.Any(char.IsControl))
        {
            throw new RequestFieldException(field, "a user id may not hold control characters (tabs, line breaks).");
        }
    }

    private void CheckK(int k)
    {
        if (k < 1 || k > _options.MaxK)
        {
            throw new RequestFieldException("k", $"must be between 1 and {_options.MaxK}; it is {k}.");
        }
    }

    private static string Shorten(string text) => RequestFieldException.Echo(text);

    /// <summary>How many neighbours of a recommended item are searched for the user's own items.</summary>
    private const int BecauseNeighbours = 200;

    /// <summary>
    /// Each item with the user's history items most like it (at most three), by the bundle's similarity model: the
    /// explanation a base-model variant can give ("because you liked ..."), and a stack's beside its features.
    /// </summary>
    private static List<RecommendedItem> Because(ServingBundle bundle, List<RecommendedItem> items, int[] indices, int[] history)
    {
        if (bundle.Similar is not { } similar || history.Length == 0)
        {
            return items;
        }

        for (var j = 0; j < items.Count; j++)
        {
            if (indices[j] >= bundle.Items.Count)
            {
                continue; // an item added since the bundle: no model knows its neighbours yet
            }

            var (neighbours, _) = similar.Model.SimilarItems(indices[j], BecauseNeighbours);
            var because = neighbours.Where(n => Array.BinarySearch(history, n) >= 0).Take(3).Select(n => bundle.Items[n]).ToList();
            items[j] = items[j] with { Because = because };
        }

        return items;
    }

    private List<RecommendedItem> Items(ServingBundle bundle, RankedItems answer, bool explain, NewCandidates? added = null)
    {
        var view = added is null ? null : Additions.View(bundle, Catalogue);
        var width = answer.FeatureNames?.Count ?? 0;
        var list = new List<RecommendedItem>(answer.Items.Length);
        for (var j = 0; j < answer.Items.Length; j++)
        {
            var at = answer.Items[j];
            var entry = at < bundle.Items.Count ? bundle.Catalogue[at]
                : new BundleItem(view!.Rows[at - bundle.Items.Count].Id, view.Rows[at - bundle.Items.Count].Title, view.Labels[at - bundle.Items.Count]);
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
