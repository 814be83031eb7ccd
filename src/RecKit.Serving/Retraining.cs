using System.Text.Json;
using RecKit.Bundles;
using RecKit.Data;
using RecKit.Pipeline;

namespace RecKit.Serving;

/// <summary>
/// Retraining a served bundle (design note 3 §8.1, the offline layer, again): the main job that built the bundle
/// "current" names (its config.json), set to write the next version into the same bundle root, with every interaction
/// the service ingested added to the original data. The shell runs the job; a running server picks the new version up.
/// </summary>
public static class Retraining
{
    /// <summary>The main job's settings for retraining the current bundle of <paramref name="bundleRoot"/>, and that bundle's version.</summary>
    /// <param name="outputFolder">Where the run's report and figures go (default BUNDLE-ROOT/retrain).</param>
    public static (MainJobSettings Settings, string Version, string ConfigPath) Plan(string bundleRoot, string? outputFolder = null)
    {
        var store = new BundleStore(bundleRoot);
        var version = store.CurrentVersion() ?? throw new ArgumentException($"bundle root {store.Root} has no current bundle; the main job writes the first one.");
        var configPath = Path.Combine(store.PathOf(version), BundleStore.ConfigFile);
        if (!File.Exists(configPath))
        {
            throw new ArgumentException($"{configPath}: missing; bundle {version} was not written by the main job, so how to retrain it is unknown.");
        }

        var stored = JsonSerializer.Deserialize<MainJobSettings>(File.ReadAllText(configPath), StrictJson.Options)!;
        var settings = (stored with { Output = new MainJobSettings.OutputSettings() }).WithOutputUnder(outputFolder ?? Path.Combine(store.Root, "retrain"));
        settings = settings with { Output = settings.Output with { Bundles = store.Root } };
        settings.Validate();
        return (settings, version, configPath);
    }

    /// <summary>
    /// Every ingested interaction as training data for this catalogue: for ratings, a positive interaction counts as
    /// liked (the evaluation threshold); for counts, its type's weight times its value; otherwise 1. Negative types
    /// (dislike, hide) are exclusions, not training data, and are left out. Through: the last store id read. A stored
    /// row that cannot be training data (a timestamp outside <see cref="InteractionTime"/>'s window, stored before the
    /// service checked it) is left out and its id listed in <paramref name="rejected"/>: one bad row never stops a retrain.
    /// Users the service erased (as hashes) and items it deleted are named so that the original data leaves them out too.
    /// </summary>
    public static MainJob.Retraining Ingested(IInteractionStore store, MainJobSettings settings, FeedbackTypes types, List<long>? rejected = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(types);
        var list = new List<IngestedInteraction>();
        long through = 0;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var x in store.ReadSince(0))
        {
            through = x.Id;
            if (!InteractionTime.IsValid(x.Timestamp, now) || !double.IsFinite(x.Value))
            {
                rejected?.Add(x.Id);
                continue;
            }

            var weight = types.Weights.GetValueOrDefault(x.Type, 1);
            if (weight < 0)
            {
                continue;
            }

            var value = settings.Data.Values switch
            {
                ValueMeaning.Ratings => settings.Evaluation.Threshold,
                ValueMeaning.Counts => (float)(weight * x.Value),
                _ => 1f,
            };
            list.Add(new IngestedInteraction(x.User, x.Item, value, x.Timestamp));
        }

        var erased = store.ErasedUsers();
        var deleted = store.ItemStates().Where(s => s.Value == ItemState.Deleted).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        static List<FeatureUpdate> Updates(IEnumerable<FeatureRow> rows) => [.. rows.Select(r => new FeatureUpdate(r.Id, r.Title, r.Fields))];
        return new MainJob.Retraining(list, through, erased.Keys.ToHashSet(StringComparer.Ordinal), erased.Count == 0 ? 0 : erased.Values.Max(), deleted)
        {
            ItemUpdates = Updates(store.ReadFeatures(FeatureOwner.Item)),
            UserUpdates = Updates(store.ReadFeatures(FeatureOwner.User)),
        };
    }
}
