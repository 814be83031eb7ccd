namespace RecKit.Data;

/// <summary>
/// Everything the main job knows about a catalogue: the interactions, what their values mean, the item and user
/// features (aligned to the id maps), the items' display names, and what loading did (for the log).
/// </summary>
public sealed record Catalogue(
    Interactions Data,
    ValueMeaning Values,
    FeatureMatrix? ItemFeatures,
    FeatureMatrix? UserFeatures,
    FeatureMatrix? Tags,
    IReadOnlyList<string?>? Titles,
    LoadSummary Summary,
    IReadOnlyList<string> Notes)
{
    /// <summary>The counts as read, before the count transform (count data only), for their distribution.</summary>
    public float[]? RawCounts { get; init; }

    /// <summary>How raw item features become <see cref="ItemFeatures"/>' columns (null: no item features, or not from a declared file).</summary>
    public FeatureEncoder? ItemEncoder { get; init; }

    /// <summary>How raw user features become <see cref="UserFeatures"/>' columns (null: none).</summary>
    public FeatureEncoder? UserEncoder { get; init; }

    /// <summary>The relevance threshold this catalogue's values call for: the given one for ratings, none (any interaction) otherwise.</summary>
    public float? Relevance(float ratingThreshold) => RecKit.Data.Relevance.Threshold(Values, ratingThreshold);

    public string? Title(int item) => Titles is { } t && (uint)item < (uint)t.Count ? t[item] : null;

    /// <summary>Loads what <paramref name="description"/> names (call <see cref="CatalogueDescription.Validate"/> first).</summary>
    public static Catalogue Load(CatalogueDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description.Format == CatalogueFormat.MovieLens ? LoadMovieLens(description) : LoadDelimited(description);
    }

    private static Catalogue LoadMovieLens(CatalogueDescription description)
    {
        var notes = new List<string>();
        var load = MovieLens.LoadRatings(description.Path);
        var data = Filter(load.Interactions, description, notes);
        var catalog = MovieLens.LoadItemMetadata(description.Path, data.ItemMap);
        var tags = File.Exists(Path.Combine(description.Path, "tags.csv")) ? MovieLens.LoadLatestTags(description.Path, data.ItemMap) : null;
        var users = File.Exists(Path.Combine(description.Path, "u.user")) ? MovieLens.Load100kUsers(description.Path, data.UserMap) : null;
        if (catalog is not null && catalog.UnmatchedEntries > 0)
        {
            notes.Add($"{catalog.UnmatchedEntries:N0} movies of the catalogue have no rating and are left out (the MovieLens preset keeps rated movies only)");
        }

        return new Catalogue(data, ValueMeaning.Ratings, catalog?.Genres, users, tags, catalog?.Titles, load.Summary, notes)
        {
            ItemEncoder = catalog is null ? null : FeatureEncoder.Labels("genres", "|"),
        };
    }

    private static Catalogue LoadDelimited(CatalogueDescription d)
    {
        var notes = new List<string>();
        var options = new DelimitedReaderOptions
        {
            Delimiter = d.Delimiter.Replace("\\t", "\t", StringComparison.Ordinal),
            HasHeader = d.Header,
            User = ColumnRef.Parse(d.User),
            Item = ColumnRef.Parse(d.Item),
            Rating = d.Values == ValueMeaning.None ? null : ColumnRef.Parse(d.Value),
            Timestamp = d.Timestamp is { } t ? ColumnRef.Parse(t) : null,
            Duplicates = d.Duplicates,
            Values = d.Values == ValueMeaning.Counts ? ValueMeaning.Counts : ValueMeaning.Ratings,
            Scale = d.RatingScale is { } s ? RatingScale.Parse(s) : null,
        };
        var load = DelimitedInteractionReader.Read(d.Path, options);
        var data = Filter(load.Interactions, d, notes);

        // Users and items that only the feature files list join the catalogue with no interactions: the cold-start ones.
        var userMap = IdMap.FromIds(data.UserMap.Ids);
        var itemMap = IdMap.FromIds(data.ItemMap.Ids);
        var items = d.ItemFeatures is { } itemFile ? FeatureFile.Read(itemFile) : null;
        var users = d.UserFeatures is { } userFile ? FeatureFile.Read(userFile) : null;
        var (itemFeatures, titles, coldItems) = items is null ? (null, null, 0) : FeatureFile.Align(items, itemMap, extend: true);
        var (userFeatures, _, coldUsers) = users is null ? (null, null, 0) : FeatureFile.Align(users, userMap, extend: true);
        if (items is not null)
        {
            notes.Add($"item features: {items.Ids.Count:N0} rows, {items.Features.Columns.Count:N0} features; {coldItems:N0} items have features but no interactions (cold start), {data.ItemCount - (items.Ids.Count - coldItems):N0} items with interactions have no feature row");
        }

        if (users is not null)
        {
            notes.Add($"user features: {users.Ids.Count:N0} rows, {users.Features.Columns.Count:N0} features; {coldUsers:N0} users have features but no interactions (new sign-ups), {data.UserCount - (users.Ids.Count - coldUsers):N0} users with interactions have no feature row");
        }

        var values = data.Values.ToArray();
        if (d.Values == ValueMeaning.Counts && d.CountTransform == CountTransform.Log1p)
        {
            for (var p = 0; p < values.Length; p++)
            {
                values[p] = MathF.Log(1 + values[p]);
            }
        }

        var extended = new Interactions(userMap, itemMap, data.Users.ToArray(), data.Items.ToArray(), values, data.HasTimestamps ? data.Timestamps.ToArray() : null, d.Values);
        return new Catalogue(extended, d.Values, itemFeatures, userFeatures, null, titles, load.Summary, notes)
        {
            RawCounts = d.Values == ValueMeaning.Counts ? data.Values.ToArray() : null,
            ItemEncoder = items?.Encoder,
            UserEncoder = users?.Encoder,
        };
    }

    private static Interactions Filter(Interactions data, CatalogueDescription d, List<string> notes)
    {
        if (d.MinUserInteractions <= 1 && d.MinItemInteractions <= 1)
        {
            return data;
        }

        var filtered = InteractionFilters.MinimumCounts(data, d.MinUserInteractions, d.MinItemInteractions);
        notes.Add($"filters removed {filtered.RemovedInteractions:N0} interactions, {filtered.RemovedUsers:N0} users, {filtered.RemovedItems:N0} items");
        return filtered.Interactions;
    }
}
