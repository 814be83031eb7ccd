using RecKit.Persistence;
using RecKit.Models;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Pipeline;
using RecKit.Ranking;
using RecKit.Serving;
using RecKit.Tuning;
using System.Globalization;
using RecKit.Data.Splits;

namespace RecKit.Tests.Pipeline;

/// <summary>The main job in the library, without the command line: settings checked first, a bundle, recommendations as served.</summary>
public sealed class MainJobTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-mainjob-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Draws nothing: the job's figures are RecKit.Reports' business, not what these tests look at.</summary>
    private sealed class NoReports : IMainJobReports
    {
        public IReadOnlyList<string> WriteTuning(string folder, IReadOnlyList<RecKit.Tuning.TuningResult> results, int k) => [];

        public IReadOnlyList<string> WriteEda(Interactions data, string folder, IReadOnlyList<(string Genre, int Count)>? genres, ReadOnlySpan<float> rawCounts) => [];

        public IReadOnlyList<string> WriteFeatures(FeatureMatrix features, string owner, string folder) => [];

        public IReadOnlyList<string> WriteReport(string folder, StackReport report, int k, IReadOnlyDictionary<string, object>? extra, string? notes, string relevance) => [];
    }

    /// <summary>A small run on the bundled music demo (counts, item and user features): three base models, small stacks.</summary>
    private MainJobSettings Settings(string baseModels = """["itemknn", "als", "genre", "two-tower"]""") =>
        JsonSerializer.Deserialize<MainJobSettings>($$"""
            {
              "data": {
                "format": "Delimited", "path": "{{Path.Combine(TestData.RepoRoot, "data", "music-demo", "plays.csv").Replace("\\", "/", StringComparison.Ordinal)}}",
                "user": "user_id", "item": "item_id", "value": "plays", "values": "Counts",
                "itemFeatures": { "path": "{{Path.Combine(TestData.RepoRoot, "data", "music-demo", "items.csv").Replace("\\", "/", StringComparison.Ordinal)}}", "id": "item_id", "display": "title",
                                  "columns": [ { "name": "genre", "kind": "Categorical" }, { "name": "artist", "kind": "Categorical" } ] }
              },
              "baseModels": {{baseModels}},
              "models": { "als": { "factors": 16, "iterations": 4 }, "two-tower": { "factors": 8, "epochs": 2 } },
              "stack": { "candidates": { "itemknn": 30, "als": 30, "popularity": 10 }, "averageOf": ["itemknn", "als"], "trees": 10, "leaves": 4 },
              "coldStart": { "enabled": false }
            }
            """, StrictJson.Options)!.WithOutputUnder(_dir);

    [Fact]
    public void TheStackCeiling_IsMeasuredOnlyWhenAsked_AndItsAsRunFigure_IsTheReportsOwn()
    {
        var settings = Settings("""["itemknn", "als"]""");
        var plain = new MainJob(settings, new NoReports(), new ServedBundleLoader(), new LineProgress(_ => { })).Run(CancellationToken.None);
        Assert.Empty(plain.Report.Ceiling);

        var asked = new MainJob(settings, new NoReports(), new ServedBundleLoader(), new LineProgress(_ => { })) { MeasureStackCeiling = true }.Run(CancellationToken.None);
        Assert.Equal(["LogisticStack", "XeNdcgStack"], asked.Report.Ceiling.Select(c => c.Model));
        foreach (var c in asked.Report.Ceiling)
        {
            // The halves' users together are every evaluated user: the two-fold figures are means over the same users as the report's.
            var row = asked.Report.Rows.Single(r => r.Model == c.Model);
            Assert.Equal(row.Result.UsersEvaluated, c.Users);
            Assert.Equal(row.Result[$"NDCG@{asked.K}"], c.MetaTrained, 9);
            Assert.InRange(c.TestTrained, 0.01, 1);
            Assert.InRange(c.MetaAndTestTrained, 0.01, 1);
        }
    }

    [Fact]
    public void TheJob_WritesABundle_AndRecommendationsAreWhatTheServedBundleAnswers()
    {
        var settings = Settings();
        settings.Validate();
        var lines = new List<string>();
        var result = new MainJob(settings, new NoReports(), new ServedBundleLoader(), new LineProgress(lines.Add)).Run(CancellationToken.None);

        Assert.Equal("v0001", result.BundleVersion);
        Assert.Contains(result.Report.Rows, r => r.Model == "LogisticStack");
        var bundle = ServingBundle.Load(Path.Combine(settings.Output.BundleRoot, result.BundleVersion));
        Assert.Equal(result.ProductionRanker, bundle.Manifest.DefaultVariant);
        Assert.Contains("genre", bundle.Variants);

        // recommendations.json: every user, from the bundle's production ranker exactly as the service ranks them.
        var written = JsonNode.Parse(File.ReadAllText(settings.Output.Recommendations))!;
        var served = BundleRecommendations.ForAllUsers(bundle, result.ProductionRanker, settings.Production.TopN);
        Assert.Equal(served.Length, written["users"]!.GetValue<int>());
        var lists = written["recommendations"]!.AsObject();
        Assert.Equal(served.Length, lists.Count);
        foreach (var list in served.Take(50))
        {
            var items = lists[bundle.Users[list.User]]!.AsArray().Select(i => i!["item"]!.GetValue<string>());
            Assert.Equal(list.Items.Select(i => bundle.Items[i]), items);
        }

        Assert.Contains(lines, l => l.Contains("two-tower: best epoch", StringComparison.Ordinal)); // fitted with early stopping, as its definition asks

        // Where the time went, stage by stage, adding up to the whole run.
        Assert.Equal(["load", "eda", "tuning", "base models and stacks", "report", "bundle", "recommendations"], result.Stages.Select(s => s.Stage)); // tuning: the two-tower's content weight
        Assert.Contains(lines, l => l.Contains("two-tower content weight", StringComparison.Ordinal));

        // ALS's alpha and regularization were not configured: chosen on base_train, used for the bundle's ALS.
        var chosen = lines.Single(l => l.StartsWith("  ALS alpha ", StringComparison.Ordinal));
        var als = bundle.Manifest.Models.Single(m => m.Name == "als").Options!;
        var alpha = als["alpha"]!.GetValue<double>();
        Assert.Contains(AlsWeightingChooser.Candidates, c => c.Alpha == alpha && c.Regularization == als["regularization"]!.GetValue<double>());
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"  ALS alpha {alpha:0.##}, "), chosen, StringComparison.Ordinal);

        // Nor were item-kNN's neighbours: chosen the same way, used for the bundle's item-kNN.
        var neighbours = bundle.Manifest.Models.Single(m => m.Name == "itemknn").Options!["neighbours"]!.GetValue<int>();
        Assert.Contains(neighbours, ItemKnnNeighboursChooser.Candidates);
        Assert.Contains(lines, l => l.StartsWith($"  item-kNN neighbours {neighbours} (folds chose ", StringComparison.Ordinal));

        // Nor were the meta splits: three below the size limit, each further one refitting the base models.
        Assert.Contains("  meta splits: 3", lines);
        Assert.Contains(lines, l => l.StartsWith("meta split 3 of 3: fitting the base models", StringComparison.Ordinal));
        Assert.InRange(result.Stages.Sum(s => s.Time.TotalSeconds), result.Elapsed.TotalSeconds * 0.99, result.Elapsed.TotalSeconds + 0.001);
        Assert.Contains(lines, l => l.StartsWith("stages: load ", StringComparison.Ordinal));
    }

    [Fact]
    public void ABaseModelThatCannotFitTheCatalogue_IsRefusedBeforeAnyWork_NamingTheSetting()
    {
        // EASE allowed 50 items on a catalogue of more: the job stops right after loading, before EDA or any fit.
        var settings = Settings("""["itemknn", "als", "ease"]""") with { Models = new() { ["ease"] = new JsonObject { ["maxItems"] = 50 } } };
        settings.Validate();
        var lines = new List<string>();
        var ex = Assert.Throws<ArgumentException>(() => new MainJob(settings, new NoReports(), new ServedBundleLoader(), new LineProgress(lines.Add)).Run(CancellationToken.None));
        Assert.StartsWith("setting 'baseModels': 'ease' cannot fit this catalogue of ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("models.ease.maxItems", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("EDA", StringComparison.Ordinal) || l.Contains("fitting", StringComparison.Ordinal));
    }

    [Fact]
    public void TheTuneSection_TunesOnBaseTrain_RunsWithTheChosenOptions_AndWritesThemAsAConfigThatRunsAgain()
    {
        // Item-kNN configured with 2 neighbours (a poor choice the search should leave behind); candidates chosen automatically.
        var settings = Settings("""["itemknn", "als"]""") with
        {
            Models = new() { ["itemknn"] = new JsonObject { ["neighbours"] = 2 }, ["als"] = new JsonObject { ["factors"] = 16, ["iterations"] = 4 } },
            Stack = Settings().Stack with { Candidates = [], CandidateBudget = 60 },
            Tune = new MainJobSettings.TuneSettings { Models = ["itemknn"], Candidates = 4 },
        };
        settings.Validate();
        var lines = new List<string>();
        var result = new MainJob(settings, new NoReports(), new ServedBundleLoader(), new LineProgress(lines.Add)).Run(CancellationToken.None);

        Assert.Contains("tuning", result.Stages.Select(s => s.Stage));
        var tuned = JsonSerializer.Deserialize<MainJobSettings>(File.ReadAllText(Path.Combine(settings.Output.Folder, "tuned.json")), StrictJson.Options)!;
        tuned.Validate();
        Assert.Empty(tuned.Tune.Models); // running the tuned config does not search again
        var neighbours = tuned.Models["itemknn"]["neighbours"]!.GetValue<int>();
        Assert.NotEqual(2, neighbours);
        Assert.Contains(lines, l => l.Contains("itemknn: tuned ", StringComparison.Ordinal));

        // The bundle was fitted with the chosen options, and its config (what a retrain reads) holds them without the search.
        var bundle = ServingBundle.Load(Path.Combine(settings.Output.BundleRoot, result.BundleVersion));
        var config = JsonSerializer.Deserialize<MainJobSettings>(File.ReadAllText(Path.Combine(settings.Output.BundleRoot, result.BundleVersion, RecKit.Bundles.BundleStore.ConfigFile)), StrictJson.Options)!;
        Assert.Equal(neighbours, config.Models["itemknn"]["neighbours"]!.GetValue<int>());
        Assert.Empty(config.Tune.Models);

        // Candidates: every source's size chosen within the budget, popularity always among them, the same in the bundle.
        Assert.NotNull(result.Report.CandidatePlan);
        Assert.InRange(result.Report.Candidates.Sum(c => c.Size), 1, 60);
        Assert.Contains(result.Report.Candidates, c => c.Source == "popularity");
        Assert.Equal(result.Report.Candidates.Select(c => (c.Source, c.Size)), bundle.Manifest.Candidates.Select(c => (c.Source, c.Size)));
    }

    [Fact]
    public void TheTuneSection_StartsFromTheAutomaticChoice_SoItsConfiguredCandidateIsTheChosenPair()
    {
        // ALS without alpha and regularization, searched by the tune section: the run's choice comes first and is the
        // search's configured candidate (a search that finds nothing better on validation keeps it).
        var settings = Settings("""["itemknn", "als"]""") with
        {
            Models = new() { ["itemknn"] = new JsonObject { ["neighbours"] = 20 }, ["als"] = new JsonObject { ["factors"] = 16, ["iterations"] = 4 } },
            Tune = new MainJobSettings.TuneSettings { Models = ["als"], Candidates = 3 },
        };
        settings.Validate();
        var lines = new List<string>();
        new MainJob(settings, new NoReports(), new ServedBundleLoader(), new LineProgress(lines.Add)).Run(CancellationToken.None);

        var chosen = lines.FindIndex(l => l.StartsWith("  ALS alpha ", StringComparison.Ordinal));
        var tuning = lines.FindIndex(l => l.StartsWith("tuning als:", StringComparison.Ordinal));
        Assert.True(chosen >= 0 && tuning > chosen, "the choice is made, before the search");
        var verdict = lines.Single(l => l.StartsWith("  als: ", StringComparison.Ordinal));
        var als = JsonSerializer.Deserialize<MainJobSettings>(File.ReadAllText(Path.Combine(settings.Output.Folder, "tuned.json")), StrictJson.Options)!.Models["als"];
        if (verdict.Contains("the configured options stay", StringComparison.Ordinal))
        {
            Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"  ALS alpha {als["alpha"]!.GetValue<double>():0.##}, regularization {als["regularization"]!.GetValue<double>():0.##} "), lines[chosen], StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("tuned ", verdict, StringComparison.Ordinal);
            Assert.NotNull(als["alpha"]);
        }
    }

    /// <summary>A progress sink that takes the fractions of long steps too, as the command line's progress bars do.</summary>
    private sealed class Steps : IProgress<string>, IProgress<TrainingProgress>
    {
        public List<string> Lines { get; } = [];

        public System.Collections.Concurrent.ConcurrentBag<TrainingProgress> Fractions { get; } = [];

        public void Report(string value) => Lines.Add(value);

        public void Report(TrainingProgress value) => Fractions.Add(value);
    }

    [Fact]
    public void SampledEvaluationAndMetaTraining_UseTheSampleSizes_AndSayThem_AndLongStepsReportTheirFractions()
    {
        var settings = Settings("""["itemknn", "als"]""") with
        {
            Evaluation = new MainJobSettings.EvaluationSettings { MaxUsers = 300 },
            Stack = Settings().Stack with { MaxMetaUsers = 200 },
        };
        settings.Validate();
        var steps = new Steps();
        var result = new MainJob(settings, new NoReports(), new ServedBundleLoader(), steps).Run(CancellationToken.None);
        var (evaluated, testUsers) = result.Report.TestUsers;
        Assert.Equal(300, evaluated);
        Assert.True(testUsers > 1000, $"{testUsers} test users");
        Assert.Equal(3, result.Report.MetaSplits); // the run's choice at this size: the 200 users are shared among the three
        Assert.Equal(200 / 3, result.Report.MetaUsers.Used);
        Assert.True(result.Report.MetaUsers.Of > 1000);
        Assert.All(result.Report.Rows, r => Assert.InRange(r.Result.UsersEvaluated, 250, 300)); // the sample's users with a relevant item
        Assert.Contains(steps.Fractions, f => f.Stage == "users evaluated" && f.Done == f.Total && f.Total <= 300);
        Assert.Equal(3, steps.Fractions.Count(f => f.Stage == "users' candidates" && f.Total == 200 / 3 && f.Done == f.Total)); // each split's candidates
        Assert.Contains(steps.Fractions, f => f.Stage.StartsWith("iteration", StringComparison.Ordinal)); // ALS's own

        var bad = settings with { Evaluation = new MainJobSettings.EvaluationSettings { MaxUsers = 50 } };
        Assert.Contains("evaluation.maxUsers", Assert.Throws<ArgumentException>(bad.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALargeCatalogue_GetsApproximateIndexesInItsBundle_ThatTheServiceRanksThrough()
    {
        // The threshold lowered to this catalogue's size, and a graph whatever the norm-ordered scan would read: the factor
        // models' HNSW indexes are written, checksummed and used.
        var settings = Settings("""["itemknn", "als"]""");
        var steps = new Steps();
        var result = new MainJob(settings, new NoReports(), new ServedBundleLoader(approximateFrom: 100, maxShareRead: 0), steps).Run(CancellationToken.None);
        var folder = Path.Combine(settings.Output.BundleRoot, result.BundleVersion);
        var indexed = steps.Fractions.Where(f => f.Stage == "als: items indexed").ToList();
        Assert.NotEmpty(indexed); // the index build, minutes at a million items, reports its progress
        Assert.Equal(indexed[0].Total, indexed.Max(f => f.Done));
        var bundle = ServingBundle.Load(folder);
        Assert.Contains(steps.Fractions, f => f.Stage == "users recommended" && f.Done == f.Total && f.Total == bundle.Users.Count);
        Assert.Equal(["als"], bundle.ApproximateIndexes);
        var shards = bundle.Manifest.Files.Keys.Where(f => f.StartsWith("indexes/als.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["indexes/als.0.usearch"], shards); // one graph (built by every thread at once)

        // Its answers agree with the exact scan's for nearly every item.
        var exact = LiveScorer.Bind("als", ModelFile.Load(Path.Combine(folder, "models", "als.model")).Model, bundle.Manifest.Models.Single(m => m.Name == "als").Options);
        var exactRanker = new FactorRanker(exact);
        double found = 0, total = 0;
        for (var u = 0; u < bundle.Users.Count; u += 10)
        {
            var user = BundleRecommendations.Known(bundle, u);
            var approximate = bundle.Ranker("als").Recommend(user, 10).Items;
            var truth = exactRanker.Recommend(user, 10).Items;
            found += approximate.Intersect(truth).Count();
            total += truth.Length;
        }

        Assert.True(found / total >= 0.95, $"recall@10 of the approximate index: {found / total:F3}");

        // A damaged index file is refused like any damaged file of the bundle.
        File.WriteAllBytes(Path.Combine(folder, shards[0]), [1, 2, 3]);
        Assert.Contains(shards[0], Assert.Throws<RecKit.Bundles.BundleException>(() => ServingBundle.Load(folder)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALargeCatalogueWithoutItemKnn_AnswersSimilarItemsThroughAGraphOfItsFactors()
    {
        // Without item-kNN a factor model answers similar items; at a million items its scan costs ~10 ms a request,
        // so the bundle carries a graph of its unit item vectors (here the threshold is lowered to this catalogue).
        var plain = Settings("""["als", "genre"]""");
        var settings = plain with { Stack = plain.Stack with { Candidates = new() { ["als"] = 30, ["popularity"] = 10 }, AverageOf = ["als", "genre"] } };
        var steps = new Steps();
        var result = new MainJob(settings, new NoReports(), new ServedBundleLoader(approximateFrom: 100), steps).Run(CancellationToken.None);
        var folder = Path.Combine(settings.Output.BundleRoot, result.BundleVersion);
        Assert.Contains(steps.Fractions, f => f.Stage == "als: similar items indexed" && f.Done == f.Total);
        var bundle = ServingBundle.Load(folder);
        Assert.Contains("similar/als.0.usearch", bundle.Manifest.Files.Keys);
        var (name, similar) = bundle.Similar!.Value;
        Assert.Equal("als", name);
        Assert.Equal(CosineSimilarItems.ExpansionSearch, Assert.IsType<CosineSimilarItems>(similar).SearchWidth); // a saved graph does not keep its width

        var scan = (ISimilarItems)ModelFile.Load(Path.Combine(folder, "models", "als.model")).Model;
        double found = 0, total = 0;
        for (var item = 0; item < bundle.Items.Count; item += 7)
        {
            var truth = scan.SimilarItems(item, 10).Items;
            var answer = similar.SimilarItems(item, 10).Items;
            Assert.DoesNotContain(item, answer);
            found += answer.Intersect(truth).Count();
            total += truth.Length;
        }

        Assert.True(found / total >= 0.95, $"recall@10 of the similar-items graph: {found / total:F3}");

        // With item-kNN in the bundle its stored neighbours answer, and no graph is written for them.
        var withKnn = new MainJob(Settings("""["itemknn", "als"]"""), new NoReports(), new ServedBundleLoader(approximateFrom: 100), new Steps()).Run(CancellationToken.None);
        var knnBundle = ServingBundle.Load(Path.Combine(settings.Output.BundleRoot, withKnn.BundleVersion));
        Assert.Equal("itemknn", knnBundle.Similar!.Value.Name);
        Assert.DoesNotContain(knnBundle.Manifest.Files.Keys, f => f.StartsWith("similar/", StringComparison.Ordinal));
    }

    [Fact]
    public void AModelWhoseNeedsTheCatalogueLacks_IsLeftOut_AndTheRunSaysSo()
    {
        var settings = Settings("""["itemknn", "als", "tags", "seqknn"]""");
        var lines = new List<string>();
        var result = new MainJob(settings, new NoReports(), new ServedBundleLoader(), new LineProgress(lines.Add)).Run(CancellationToken.None);
        Assert.DoesNotContain(result.Report.Rows, r => r.Model is "tags" or "seqknn"); // no tags file, no timestamp column in this catalogue
        Assert.Contains(result.Report.Rows, r => r.Model == "als");
        Assert.Contains("base model tags left out: it needs tags, which this catalogue does not have", lines);
        Assert.Contains("base model seqknn left out: it needs timestamps, which this catalogue does not have", lines);
    }

    [Fact]
    public void AlsWeighting_AboveTheLimit_IsChosenOnASampleOfUsersHoldingAboutThatMany()
    {
        var data = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var (all, none) = MainJob.ChoicePart(data, seed: 1, limit: data.Count);
        Assert.Same(data, all);
        Assert.Null(none);

        var (part, note) = MainJob.ChoicePart(data, seed: 1, limit: 30_000);
        var users = UserSample.Users(part);
        Assert.Equal((int)(610L * 30_000 / data.Count), users.Length); // 181 of the 610 users...
        Assert.InRange(part.Count, 20_000, 40_000); // ...hold about 30,000 of the interactions
        foreach (var u in users)
        {
            Assert.Equal(data.ByUser.RowLength(u), part.ByUser.RowLength(u)); // each sampled user keeps every interaction
        }

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"it has {data.Count:N0} interactions, above the 30,000 up to which the run chooses on all of it, so on {users.Length:N0} of its 610 users"), note, StringComparison.Ordinal);
        Assert.Equal(users, UserSample.Users(MainJob.ChoicePart(data, seed: 1, limit: 30_000).Part)); // seeded
        Assert.NotEqual(users, UserSample.Users(MainJob.ChoicePart(data, seed: 2, limit: 30_000).Part));
    }

    [Fact]
    public void TheMetaUserSample_IsBoundedByRows_AsWellAsByUsers()
    {
        var stack = new MainJobSettings.StackSettings();
        Assert.Equal(10_000, stack.MetaUsers()); // 3,000,000 rows over 300 candidates per user, below 20,000 users
        Assert.Equal(12_000, (stack with { Candidates = new() { ["als"] = 200, ["popularity"] = 50 } }).MetaUsers());
        Assert.Equal(20_000, (stack with { MaxMetaRows = null }).MetaUsers());
        Assert.Equal(10_000, (stack with { MaxMetaUsers = null }).MetaUsers());
        Assert.Null((stack with { MaxMetaUsers = null, MaxMetaRows = null }).MetaUsers());

        var settings = Settings();
        var error = Assert.Throws<ArgumentException>((settings with { Stack = settings.Stack with { MaxMetaRows = 5 } }).Validate);
        Assert.Contains("stack.maxMetaRows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadModelOptions_FailValidation_NamingTheSetting()
    {
        var settings = Settings() with { Models = new() { ["als"] = new JsonObject { ["factors"] = 0 } } };
        var error = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.StartsWith("setting 'models.als': als option 'factors'", error.Message, StringComparison.Ordinal);
        var unknown = settings with { Models = new() { ["als"] = new JsonObject { ["epochs"] = 3 } } };
        Assert.Contains("iterations", Assert.Throws<ArgumentException>(unknown.Validate).Message, StringComparison.Ordinal);
    }
}
