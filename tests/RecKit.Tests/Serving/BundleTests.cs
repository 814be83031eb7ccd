using RecKit.Models;
using RecKit.Ranking;
using RecKit.Serving;

using RecKit.Bundles;

namespace RecKit.Tests.Serving;

public class BundleTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    [Fact]
    public void Manifest_ListsEveryFileWithItsChecksum_AndTheVariants()
    {
        var manifest = fixture.Bundle.Manifest;
        Assert.Equal("v0001", manifest.Version);
        Assert.Equal(fixture.Version, fixture.Store.CurrentVersion());
        foreach (var file in Directory.EnumerateFiles(fixture.Store.PathOf(fixture.Version), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(fixture.Store.PathOf(fixture.Version), f)).Where(f => f != "manifest.json"))
        {
            Assert.Equal(BundleStore.Sha256(Path.Combine(fixture.Store.PathOf(fixture.Version), file)), manifest.Files[file]);
        }

        Assert.Contains(manifest.Variants, v => v is { Name: "als", Kind: "factor" });
        Assert.Contains(manifest.Variants, v => v is { Name: "LogisticStack", Kind: "stack" });
        Assert.Contains(manifest.Variants, v => v is { Name: "GBStack", Kind: "stack" });
        Assert.Contains(manifest.DefaultVariant, fixture.Bundle.Variants);
        Assert.True(manifest.OfflineMetrics[manifest.DefaultVariant]["NDCG@10"] > 0);
    }

    [Fact]
    public void LoadedBundle_GivesTheSameTopN_AsTheInMemoryModels()
    {
        var scorers = fixture.Content.Models.ToDictionary(m => m.Name, m => LiveScorer.Bind(m.Name, m.Model, m.Options));
        var statistics = new PairStatistics(fixture.Data.ByUser, fixture.Data.HasRatings);
        var inMemory = new Dictionary<string, IRanker>();
        foreach (var variant in fixture.Content.Variants)
        {
            inMemory[variant.Name] = variant.Kind == "factor"
                ? new FactorRanker(scorers[variant.Model])
                : new StackRanker(
                    fixture.Content.MetaModels.Single(m => m.Name == variant.Model),
                    fixture.Content.StackFeatures.Where(f => f.StartsWith("score_", StringComparison.Ordinal)).Select(f => scorers[f[6..]]).ToList(),
                    fixture.Content.Candidates.Select(c => (scorers[c.Source], c.Size)).ToList(),
                    statistics,
                    fixture.Content.StackFeatures,
                    TimeStatistics.Of(fixture.Data));
        }

        Assert.Equal(inMemory.Keys.Order(), fixture.Bundle.Variants.Order());
        foreach (var (name, ranker) in inMemory)
        {
            for (var u = 0; u < fixture.Data.UserCount; u++)
            {
                var expected = ranker.Recommend(BundleRecommendations.Known(fixture.Bundle, u), 10);
                var loaded = fixture.Bundle.Ranker(name).Recommend(BundleRecommendations.Known(fixture.Bundle, u), 10);
                Assert.Equal(expected.Items, loaded.Items);
                Assert.Equal(expected.Scores, loaded.Scores);
            }
        }
    }

    [Fact]
    public void StackFeatures_ServedForAKnownUser_AreTheOfflineFeatures()
    {
        var models = fixture.Content.StackFeatures.Where(f => f.StartsWith("score_", StringComparison.Ordinal))
            .Select(f => (f[6..], fixture.Content.Models.Single(m => m.Name == f[6..]).Model)).ToList();
        var offline = new MetaFeatures(models, fixture.Data, sources: [.. fixture.Content.Candidates.Select(c => c.Source)]);
        var sources = fixture.Content.Candidates.Select(c => (c.Source, fixture.Content.Models.Single(m => m.Name == c.Source).Model, c.Size)).ToList();
        var generator = new CandidateGenerator(sources);
        var stack = fixture.Bundle.Ranker("LogisticStack");
        for (var u = 0; u < 39; u += 5)
        {
            var answer = stack.Recommend(BundleRecommendations.Known(fixture.Bundle, u), 10);
            Assert.NotEmpty(answer.Items);

            // The per-user columns are relative to all the user's candidates: offline builds them over the same set.
            var candidates = generator.For(u, fixture.Data.ByUser, new float[fixture.Data.ItemCount], out var proposedBy);
            var rows = new float[candidates.Length * offline.Count];
            offline.Build(u, candidates, rows, proposedBy);
            Assert.Equal(offline.Names, answer.FeatureNames);
            Assert.Contains("from_popularity", offline.Names);
            Assert.Equal(answer.Items.Length * offline.Count, answer.Features!.Length);

            // Serving gathers from whole-catalogue scores (the blocked kernel); offline scores the pairs one by one: equal to float rounding.
            for (var a = 0; a < answer.Items.Length; a++)
            {
                var c = Array.BinarySearch(candidates, answer.Items[a]);
                Assert.True(c >= 0, $"item {answer.Items[a]} served but not among the offline candidates");
                for (var f = 0; f < offline.Count; f++)
                {
                    var (expected, served) = (rows[(c * offline.Count) + f], answer.Features[(a * offline.Count) + f]);
                    Assert.True(Math.Abs(expected - served) <= 1e-4f * Math.Max(1f, Math.Abs(expected)), $"feature {offline.Names[f]} of item {answer.Items[a]}: offline {expected}, served {served}");
                }
            }
        }
    }

    [Fact]
    public void AStackFlaggingItsSources_RefusesOtherSources()
    {
        var scorers = fixture.Content.Models.ToDictionary(m => m.Name, m => new LiveScorer(m.Name, m.Model, null));
        var features = fixture.Content.StackFeatures.Where(f => f.StartsWith("score_", StringComparison.Ordinal)).Select(f => scorers[f[6..]]).ToList();
        var reordered = fixture.Content.Candidates.Reverse().Select(c => (scorers[c.Source], c.Size)).ToList();
        var refused = Assert.Throws<ArgumentException>(() => new StackRanker(
            fixture.Content.MetaModels.Single(m => m.Name == "LogisticStack"), features, reordered, new PairStatistics(fixture.Data.ByUser, true), fixture.Content.StackFeatures, TimeStatistics.Of(fixture.Data)));
        Assert.Contains("flag the candidate sources itemknn, als, popularity", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Scores a candidate by its first feature (the first base model's raw score).</summary>
    private sealed class FirstFeature(int width) : IMetaModel
    {
        public string Name => "FirstFeature";

        public IReadOnlyList<(string Feature, double Importance)> Importances => [];

        public float[] Predict(float[] rows, int count) => [.. Enumerable.Range(0, count).Select(j => rows[j * width])];
    }

    [Fact]
    public void AStackWrittenBeforePerUserFeatures_IsServedWithTheRowsItWasTrainedOn()
    {
        // A bundle written before the per-user columns existed names only raw scores and statistics: served as such.
        var models = fixture.Content.StackFeatures.Where(f => f.StartsWith("score_", StringComparison.Ordinal))
            .Select(f => (f[6..], fixture.Content.Models.Single(m => m.Name == f[6..]).Model)).ToList();
        var offline = new MetaFeatures(models, fixture.Data, perUser: false);
        Assert.DoesNotContain(offline.Names, n => n.StartsWith("z_", StringComparison.Ordinal) || n.StartsWith("rank_", StringComparison.Ordinal));
        var scorers = fixture.Content.Models.ToDictionary(m => m.Name, m => LiveScorer.Bind(m.Name, m.Model, m.Options));
        var statistics = new PairStatistics(fixture.Data.ByUser, fixture.Data.HasRatings);
        var ranker = new StackRanker(
            new FirstFeature(offline.Count),
            [.. models.Select(m => scorers[m.Item1])],
            [.. fixture.Content.Candidates.Select(c => (scorers[c.Source], c.Size))],
            statistics,
            offline.Names,
            TimeStatistics.Of(fixture.Data));
        var answer = ranker.Recommend(BundleRecommendations.Known(fixture.Bundle, 3), 10);
        Assert.Equal(offline.Names, answer.FeatureNames);
        var rows = new float[answer.Items.Length * offline.Count];
        offline.Build(3, answer.Items, rows); // no per-user columns: any subset of candidates gives the same rows
        for (var j = 0; j < rows.Length; j++)
        {
            Assert.True(Math.Abs(rows[j] - answer.Features![j]) <= 1e-4f * Math.Max(1f, Math.Abs(rows[j])), $"feature {offline.Names[j % offline.Count]}: offline {rows[j]}, served {answer.Features[j]}");
        }
    }

    [Fact]
    public void TimeColumns_ForAChangedUser_OrAVisitor_TakeThemActiveAtTheBundlesNewestTime()
    {
        var bundle = fixture.Bundle;
        var time = TimeStatistics.Of(fixture.Data);
        var user = BundleRecommendations.Known(bundle, 3);
        var stored = time.User(3)!.Value;
        Assert.True(stored.Last < time.Newest, "user 3 must not be the newest, or this test would not tell the anchors apart");
        var changed = user with { Changed = true };
        var visitor = LiveUser.Visitor([.. user.History.Take(3)]);
        foreach (var (who, anchors) in new[] { (user, stored), (changed, (time.Newest, stored.Middle)), (visitor, time.Live) })
        {
            var answer = bundle.Ranker("LogisticStack").Recommend(who, 10);
            Assert.NotEmpty(answer.Items);
            var width = answer.FeatureNames!.Count;
            Assert.Equal(TimeStatistics.Names, answer.FeatureNames.Skip(width - TimeStatistics.Count));
            var expected = new float[TimeStatistics.Count];
            for (var j = 0; j < answer.Items.Length; j++)
            {
                time.Write(anchors, answer.Items[j], expected);
                Assert.Equal(expected, answer.Features!.AsSpan((j * width) + width - TimeStatistics.Count, TimeStatistics.Count).ToArray());
            }
        }

        var copy = CopyOfBundle();
        File.Delete(Path.Combine(copy, TimeStatistics.FileName));
        Assert.Contains(TimeStatistics.FileName, Assert.Throws<BundleException>(() => ServingBundle.Load(copy)).Message, StringComparison.Ordinal);
        var unanchored = Assert.Throws<ArgumentException>(() => new StackRanker(fixture.Content.MetaModels[0], [], [], new PairStatistics(fixture.Data.ByUser, true), fixture.Content.StackFeatures));
        Assert.Contains("time anchors", unanchored.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StackFeatures_ForAChangedUser_FollowTheLiveHistory_NotTheStoredUser()
    {
        var bundle = fixture.Bundle;
        var user = BundleRecommendations.Known(bundle, 3);
        var added = Enumerable.Range(0, fixture.Data.ItemCount).Where(i => !user.Excluded.Contains(i)).Take(6).ToArray();
        var history = user.History.Concat(added).Order().ToArray();
        var weights = history.Select(i => added.Contains(i) ? 3f : user.Weights[Array.IndexOf(user.History, i)]).ToArray();
        var changed = user with { History = history, Weights = weights, Excluded = history, Changed = true };
        var answer = bundle.Ranker("LogisticStack").Recommend(changed, 10);
        Assert.NotEmpty(answer.Items);
        var width = answer.FeatureNames!.Count;
        foreach (var name in new[] { "content", "ease" }) // features that are not candidate sources: scored for the candidates alone
        {
            var scorer = LiveScorer.Bind(name, fixture.Content.Models.Single(m => m.Name == name).Model, null);
            Assert.True(scorer.FollowsHistory);
            var (live, stored) = (new float[scorer.ItemCount], new float[scorer.ItemCount]);
            scorer.ScoreAll(changed, live);
            scorer.ScoreAll(user, stored);
            var column = answer.FeatureNames.ToList().IndexOf("score_" + name);
            var moved = 0;
            for (var j = 0; j < answer.Items.Length; j++)
            {
                var item = answer.Items[j];
                Assert.Equal(live[item], answer.Features![(j * width) + column], 4);
                moved += Math.Abs(live[item] - stored[item]) > 1e-4f ? 1 : 0;
            }

            Assert.True(moved > 0, $"{name}: the added history changed no candidate's score, so this test would not see a stale feature");
        }
    }

    [Fact]
    public void SeenItems_AreNeverRecommended_AndIngestedOnesAreExcludedAtOnce()
    {
        var bundle = fixture.Bundle;
        var user = BundleRecommendations.Known(bundle, 0);
        foreach (var variant in bundle.Variants)
        {
            var before = bundle.Ranker(variant).Recommend(user, 10);
            Assert.DoesNotContain(before.Items, user.Excluded.Contains);

            // The user now takes the variant's top item: it leaves the list, and ALS refolds the user from the new history.
            var taken = before.Items[0];
            var history = user.History.Append(taken).Order().ToArray();
            var weights = history.Select(i => i == taken ? 1f : user.Weights[Array.IndexOf(user.History, i)]).ToArray();
            var after = bundle.Ranker(variant).Recommend(user with { History = history, Weights = weights, Excluded = history, Changed = true }, 10);
            Assert.DoesNotContain(taken, after.Items);
        }

        var als = (LatentFactorModel)fixture.Content.Models.Single(m => m.Name == "als").Model;
        var changed = user with { History = [.. user.History, 59], Weights = [.. user.Weights, 1f], Changed = true };
        var stored = new float[als.ItemCount];
        var refolded = new float[als.ItemCount];
        LiveScorer.Bind("als", als, BundleFixture.Options).ScoreAll(user, stored);
        LiveScorer.Bind("als", als, BundleFixture.Options).ScoreAll(changed, refolded);
        Assert.NotEqual(stored, refolded);
    }

    [Fact]
    public void Visitor_GetsRecommendations_FromEveryVariant()
    {
        var visitor = LiveUser.Visitor([0, 2, 4, 6]);
        foreach (var variant in fixture.Bundle.Variants)
        {
            var answer = fixture.Bundle.Ranker(variant).Recommend(visitor, 5);
            Assert.Equal(5, answer.Items.Length);
            Assert.DoesNotContain(answer.Items, new[] { 0, 2, 4, 6 }.Contains);
        }

        // item-kNN reads the visitor's even items: its list is even items (the even taste group).
        Assert.All(fixture.Bundle.Ranker("itemknn").Recommend(visitor, 5).Items, i => Assert.Equal(0, i % 2));
    }

    [Fact]
    public void LabelFilter_KeepsOnlyItemsWithTheLabel_ByFullNameOrValue()
    {
        var even = fixture.Bundle.LabelFilter("even")!;
        Assert.NotNull(fixture.Bundle.LabelFilter("genre=Odd"));
        Assert.Null(fixture.Bundle.LabelFilter("Jazz"));
        var answer = fixture.Bundle.Ranker(fixture.Bundle.Manifest.DefaultVariant).Recommend(BundleRecommendations.Known(fixture.Bundle, 1), 10, even);
        Assert.NotEmpty(answer.Items);
        Assert.All(answer.Items, i => Assert.Equal(0, i % 2));
    }

    [Fact]
    public void DamagedOrIncompleteBundles_AreRefused_NamingTheFile()
    {
        var copy = CopyOfBundle();
        var model = Path.Combine(copy, "models", "als.model");
        var bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(model, bytes);
        var damaged = Assert.Throws<BundleException>(() => ServingBundle.Load(copy));
        Assert.Contains("als.model", damaged.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", damaged.Message, StringComparison.Ordinal);

        File.Delete(model);
        Assert.Contains("missing", Assert.Throws<BundleException>(() => ServingBundle.Load(copy)).Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(copy, "manifest.json"));
        Assert.Contains("manifest.json", Assert.Throws<BundleException>(() => ServingBundle.Load(copy)).Message, StringComparison.Ordinal);

        var garbled = CopyOfBundle();
        File.WriteAllText(Path.Combine(garbled, "manifest.json"), "{ not json");
        Assert.Contains("not a valid manifest", Assert.Throws<BundleException>(() => ServingBundle.Load(garbled)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_IgnoreStagingFolders_AndMakeCurrentNeedsACompleteBundle()
    {
        var root = Path.Combine(fixture.Root, "..", $"reckit-store-{Guid.NewGuid():N}");
        try
        {
            var store = new BundleStore(root);
            Directory.CreateDirectory(Path.Combine(root, ".staging-v0001-abc"));
            Directory.CreateDirectory(Path.Combine(root, "v0007"));
            Assert.Equal(["v0007"], store.Versions());
            Assert.Throws<BundleException>(() => store.MakeCurrent("v0007"));
            Assert.Null(store.CurrentVersion());
            var version = store.Write(fixture.Content);
            Assert.Equal("v0008", version);
            Assert.Equal("v0008", store.CurrentVersion());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private string CopyOfBundle()
    {
        var source = fixture.Store.PathOf(fixture.Version);
        var target = Path.Combine(fixture.Root, $"copy-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }
}
