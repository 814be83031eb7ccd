using RecKit.Cli;
using RecKit.Persistence;

using RecKit.Models;

namespace RecKit.Tests.Cli;

/// <summary>The command line end to end, in process: exit codes, files written, one-line errors.</summary>
[Collection("Console")]
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = CommandRunner.Invoke(CliRoot.Create(), args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    [Fact]
    public void Evaluate_WritesJsonWithEveryMetric()
    {
        var json = Path.Combine(_dir, "eval.json");
        var (exit, _, error) = Run("evaluate", TestData.LatestSmall, "--models", "popularity,bias", "--k", "5,10", "--json", json);
        Assert.True(exit == 0, error);
        var text = File.ReadAllText(json);
        foreach (var metric in new[] { "HitRate@10", "Precision@10", "Recall@10", "MAP@10", "NDCG@10", "MRR", "AUC", "Coverage@10", "RMSE", "MAE", "NDCG@5" })
        {
            Assert.Contains($"\"{metric}\"", text);
        }
    }

    [Fact]
    public void Tune_WritesTheChosenOptionsAsAConfig_ThatEvaluateReads()
    {
        var start = Path.Combine(_dir, "start.json");
        File.WriteAllText(start, """{ "models": { "itemknn": { "neighbours": 1, "shrink": 0 } }, "training": { "seed": 7 } }""");
        var tuned = Path.Combine(_dir, "tuned.json");
        var trials = Path.Combine(_dir, "trials.json");
        var (exit, output, error) = Run("tune", TestData.LatestSmall, "--models", "itemknn", "--candidates", "9", "--config", start, "--out", tuned, "--json", trials);
        Assert.True(exit == 0, error);
        Assert.Contains("NDCG@10", output, StringComparison.Ordinal);
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(tuned))!;
        Assert.NotEqual(1, config["models"]!["itemknn"]!["neighbours"]!.GetValue<int>());
        Assert.Equal(7, config["training"]!["seed"]!.GetValue<int>()); // the rest of the config is kept
        Assert.Equal(13, System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(trials))![0]!["trials"]!.AsArray().Count);
        var (evaluated, _, evaluateError) = Run("evaluate", TestData.LatestSmall, "--models", "itemknn", "--config", tuned);
        Assert.True(evaluated == 0, evaluateError);
        var (refused, _, refusal) = Run("tune", TestData.LatestSmall, "--models", "popularity", "--out", tuned);
        Assert.Equal(2, refused);
        Assert.Contains("nothing to tune", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Tune_TheTwoTower_PrintsItsSolversSearchedOptions_AndADefaultThatDependsOnTheSolver()
    {
        var start = Path.Combine(_dir, "start.json");
        File.WriteAllText(start, """{ "models": { "two-tower": { "factors": 8, "epochs": 2 } } }""");
        var (exit, output, error) = Run("tune", TestData.LatestSmall, "--models", "two-tower", "--candidates", "1", "--config", start, "--out", Path.Combine(_dir, "tuned.json"));
        Assert.True(exit == 0, error);
        Assert.Contains("factors 8, regularization default, alpha 3, featureRegularization 1", output, StringComparison.Ordinal);
        File.WriteAllText(start, """{ "models": { "two-tower": { "solver": "Sgd", "factors": 8, "epochs": 1 } } }""");
        (exit, output, error) = Run("tune", TestData.LatestSmall, "--models", "two-tower", "--candidates", "1", "--config", start, "--out", Path.Combine(_dir, "tuned.json"));
        Assert.True(exit == 0, error);
        Assert.Contains("factors 8, learningRate 0.05, regularization default", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainThenRecommend_WritesListsWithoutSeenItems()
    {
        var model = Path.Combine(_dir, "bias.model");
        var recs = Path.Combine(_dir, "recs.json");
        Assert.Equal(0, Run("train", TestData.LatestSmall, "--model", "bias", "--out", model, "--checkpoint", Path.Combine(_dir, "ckpt")).Exit);
        var (exit, _, error) = Run("recommend", "--model", model, "--all", "--n", "5", "--out", recs);
        Assert.True(exit == 0, error);
        var saved = ModelFile.Load(model);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(recs));
        var lists = doc.RootElement.GetProperty("recommendations");
        Assert.Equal(610, lists.EnumerateObject().Count());
        foreach (var user in lists.EnumerateObject())
        {
            var u = saved.Users.GetIndex(user.Name);
            var items = user.Value.EnumerateArray().Select(e => saved.Items.GetIndex(e.GetProperty("item").GetString()!)).ToArray();
            Assert.Equal(5, items.Length);
            Assert.All(items, i => Assert.False(saved.Seen!.Contains(u, i)));
        }
    }

    [Theory]
    [InlineData("missing.csv", "not found")]
    [InlineData("empty.csv", "empty")]
    [InlineData("header.csv", "no data lines")]
    [InlineData("tabs.csv", "delimiter")]
    [InlineData("bad.csv", "line 3")]
    public void BadInput_GivesOneLineErrorAndExitCode2(string file, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "empty.csv"), string.Empty);
        File.WriteAllText(Path.Combine(_dir, "header.csv"), "user,item,rating\n");
        File.WriteAllText(Path.Combine(_dir, "tabs.csv"), "user\titem\trating\n1\t2\t3\n");
        File.WriteAllText(Path.Combine(_dir, "bad.csv"), "user,item,rating\n1,2,3\n1,3,abc\n");
        var (exit, _, error) = Run("data", "stats", Path.Combine(_dir, file));
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error);
        Assert.Contains(expected, error.Replace(":3:", " line 3 ", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", error); // no stack trace
    }

    [Fact]
    public void Recommend_DamagedModel_FailsWithClearMessage()
    {
        var path = Path.Combine(_dir, "broken.model");
        File.WriteAllText(path, "RECKITMF but not really");
        var (exit, _, error) = Run("recommend", "--model", path, "--user", "1");
        Assert.Equal(2, exit);
        Assert.Contains("damaged", error);
    }

    [Fact]
    public void Run_MainJobWritesFiguresReportAndRecommendationsWithTitles()
    {
        var config = Path.Combine(_dir, "reckit.json");
        var output = Path.Combine(_dir, "out").Replace("\\", "/", StringComparison.Ordinal);
        File.WriteAllText(config, $$"""
            // a small run: four base models, few trees
            {
              "data": { "path": "{{TestData.LatestSmall}}" },
              "baseModels": ["bias", "itemknn", "genre", "als"],
              "models": { "als": { "iterations": 5 } },
              "stack": { "candidates": { "itemknn": 50, "als": 50, "popularity": 20 }, "averageOf": ["bias", "itemknn", "genre", "als"], "trees": 40 },
              "coldStart": { "enabled": true },
              "output": { "folder": "{{output}}", "figures": "{{output}}/figures", "recommendations": "{{output}}/recommendations.json" }
            }
            """);
        var (exit, _, error) = Run("run", "--config", config);
        Assert.True(exit == 0, error);
        foreach (var file in new[] { "report.md", "report.json", "metrics.png", "importance_GBStack.png", "production.model", "recommendations.json", "figures/long_tail.png", "figures/summary.md" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        }

        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("GBStack", report);
        Assert.Contains("LambdaMARTStack", report);
        Assert.Contains("XeNdcgStack", report);
        Assert.Contains("Cold start", report);

        // Each stack against the best single model, and the two-tower against the others on new items, with a paired
        // bootstrap interval over the users.
        const string Difference = @"NDCG@10 [+-]?\d\.\d{4} \(95% interval [+-]?\d\.\d{4} to [+-]?\d\.\d{4}, paired bootstrap over [\d,]+ users\)";
        Assert.Matches($@"- LambdaMARTStack: {Difference}, (beyond|within) chance; Precision@10 [+-]?\d\.\d{{4}} against it\.", report);
        Assert.Matches($@"- two-tower − content: {Difference}: (above it beyond chance|below it beyond chance|within chance)\.", report);
        Assert.Matches($@"LambdaMARTStack against LogisticStack: {Difference}, (beyond|within) chance\.", report);
        Assert.Matches($@"XeNdcgStack against LogisticStack: {Difference}, (beyond|within) chance\.", report);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "recommendations.json")));
        var first = doc.RootElement.GetProperty("recommendations").EnumerateObject().First().Value.EnumerateArray().First();
        Assert.False(string.IsNullOrEmpty(first.GetProperty("title").GetString()));
    }

    [Fact]
    public void DataSynth_WritesASeededPowerLawFile_ThatTheLoaderReadsBack()
    {
        var file = Path.Combine(_dir, "synth.csv");
        var (exit, text, error) = Run("data", "synth", "--out", file, "--users", "2000", "--items", "500", "--draws", "30000", "--seed", "7");
        Assert.True(exit == 0, error + text);
        var expected = RecKit.Data.PowerLawInteractions.Generate(2000, 500, 30_000, 7);
        var lines = File.ReadAllLines(file);
        Assert.Equal("user_id,item_id", lines[0]);
        Assert.Equal(expected.Count, lines.Length - 1);
        Assert.Equal(lines.Length - 1, lines.Skip(1).Distinct().Count()); // pairs, duplicates merged
        Assert.Contains($"wrote {expected.Count:N0} interactions", text, StringComparison.Ordinal);

        // The shape: the most popular item is far above the median one, and the same seed gives the same file.
        var perItem = lines.Skip(1).GroupBy(l => l.Split(',')[1]).Select(g => g.Count()).OrderDescending().ToList();
        Assert.True(perItem[0] > 10 * perItem[perItem.Count / 2], $"head {perItem[0]}, median {perItem[perItem.Count / 2]}");
        var again = Path.Combine(_dir, "again.csv");
        Assert.Equal(0, Run("data", "synth", "--out", again, "--users", "2000", "--items", "500", "--draws", "30000", "--seed", "7").Exit);
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(again));
        var (stats, statsText, statsError) = Run("data", "stats", file, "--rating-col", "none");
        Assert.True(stats == 0, statsError + statsText);
    }

    [Fact]
    public void Run_UnknownConfigKey_IsAnError()
    {
        var config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, """{ "evaluation": { "kk": 10 } }""");
        var (exit, _, error) = Run("run", "--config", config);
        Assert.Equal(2, exit);
        Assert.Contains("kk", error);
    }

    [Fact]
    public void Run_AKeyGivenTwice_IsAnErrorNamingItAndItsLine()
    {
        // One of the two would be ignored: the user would never know which setting ran.
        var config = Path.Combine(_dir, "twice.json");
        File.WriteAllText(config, "{\n  \"tune\": { \"models\": [] },\n  \"evaluation\": { \"k\": 10 },\n  \"tune\": { \"models\": [\"als\"] }\n}\n");
        var (exit, _, error) = Run("run", "--config", config);
        Assert.Equal(2, exit);
        Assert.Contains("line 4", error, StringComparison.Ordinal);
        Assert.Contains("tune", error, StringComparison.Ordinal);
        Assert.DoesNotContain("same key has already been added", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownModel_NamesTheKnownOnes()
    {
        var (exit, _, error) = Run("evaluate", TestData.LatestSmall, "--models", "nonsense");
        Assert.Equal(2, exit);
        Assert.Contains("Known models", error);
    }

    [Fact]
    public void Train_Als_TakesEpochsAsIterations_AndLogsEachOne()
    {
        var model = Path.Combine(_dir, "als.model");
        var (exit, output, error) = Run("train", TestData.LatestSmall, "--model", "als", "--epochs", "2", "--factors", "16", "--out", model, "--checkpoint", Path.Combine(_dir, "als.ckpt"));
        Assert.True(exit == 0, error);
        Assert.Contains("epoch   2/2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch   3/", output, StringComparison.Ordinal);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void Recommend_ForANewUsersHistory_FoldsThemIn_AndNeverReturnsTheirItems()
    {
        var model = Path.Combine(_dir, "als-history.model");
        Assert.Equal(0, Run("train", TestData.LatestSmall, "--model", "als", "--epochs", "3", "--factors", "16", "--out", model, "--checkpoint", Path.Combine(_dir, "h.ckpt")).Exit);
        string[] history = ["1", "260", "1196", "1210"]; // Toy Story and the first Star Wars trilogy
        var (exit, output, error) = Run("recommend", "--model", model, "--history", string.Join(',', history), "--n", "10");
        Assert.True(exit == 0, error);
        Assert.Contains("folded in", output, StringComparison.Ordinal);
        var rows = output.Split('\n').Where(l => l.Contains('│', StringComparison.Ordinal) && char.IsDigit(l.Split('│', StringSplitOptions.TrimEntries)[1].FirstOrDefault())).ToArray();
        Assert.Equal(10, rows.Length);
        Assert.All(rows, row => Assert.DoesNotContain(row.Split('│', StringSplitOptions.TrimEntries)[2], history));

        Assert.Equal(2, Run("recommend", "--model", model, "--history", "no-such-item").Exit);
    }

    private string Config(string json)
    {
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("--n", "0")]
    [InlineData("--n", "-1")]
    public void SimilarItems_RejectsANonPositiveCount(string option, string value)
    {
        var (exit, _, error) = Run("similar-items", "--model", "none.model", "--item", "1", option, value);
        Assert.Equal(CommandRunner.UsageError, exit);
        Assert.Contains("--n must be at least 1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--user", "1", "--all")]
    [InlineData("--users", "1,2", "--history", "5")]
    public void Recommend_RejectsContradictoryChoicesOfUsers(params string[] args)
    {
        var (exit, _, error) = Run(["recommend", "--model", "none.model", .. args]);
        Assert.Equal(CommandRunner.UsageError, exit);
        Assert.Contains("cannot be used together", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_NamesTheValidationFraction_NotTheTestFraction()
    {
        var (exit, _, error) = Run("train", TestData.LatestSmall, "--model", "bias", "--validation-fraction", "1.5");
        Assert.Equal(CommandRunner.UsageError, exit);
        Assert.Contains("--validation-fraction must be at least 0 and below 1; it is 1.5", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "production": { "topN": -3 } }""", "setting 'production.topN' must be at least 1; it is -3.")]
    [InlineData("""{ "data": { "minUserInteractions": -5 } }""", "setting 'data.minUserInteractions' must be at least 1; it is -5.")]
    [InlineData("""{ "split": { "seed": "abc" } }""", "'split.seed' must be a whole number.")]
    [InlineData("""{ "split": { "sed": 4 } }""", "unknown key 'split.sed'; accepted here: seed, testFraction, metaFraction, method.")]
    [InlineData("""{ "models": { "als": { "cgSteps": 0 } } }""", "setting 'models.als': als option 'cgSteps' must be at least 1; it is 0.")]
    [InlineData("""{ "models": { "two-tower": { "learningRate": 0 } } }""", "two-tower option 'learningRate' must be a finite number above 0")]
    [InlineData("""{ "baseModels": ["bias", "foo"] }""", "Known models: popularity, bias, mf, svd++, bpr, als, itemknn, seqknn, ease, genre, content, tags, two-tower.")]
    [InlineData("""{ "stack": { "averageOf": ["bias", "ease"] } }""", "setting 'stack.averageOf': 'ease' is not in baseModels")]
    [InlineData("""{ "stack": { "candidates": { "als": 200, "itemknn": 200 } } }""", "setting 'stack.candidates': the sizes sum to 400, more than 'stack.candidateBudget' (300)")]
    [InlineData("""{ "stack": { "candidateBudget": 0 } }""", "setting 'stack.candidateBudget' must be at least 10; it is 0.")]
    [InlineData("""{ "stack": { "lambdaMartL2": -1 } }""", "setting 'stack.lambdaMartL2' must be a finite number of 0 or more")]
    [InlineData("""{ "stack": { "metaSplits": 0 } }""", "setting 'stack.metaSplits' must lie in 1..10; it is 0.")]
    [InlineData("""{ "stack": { "metaSplits": 2.5 } }""", "'stack.metaSplits' must be a whole number.")]
    [InlineData("""{ "tune": { "models": ["ease"] } }""", "setting 'tune.models': 'ease' is not in baseModels")]
    [InlineData("""{ "tune": { "models": ["genre"] } }""", "setting 'tune.models': 'genre' has nothing to tune; tunable: als, bpr, itemknn, ease, two-tower.")]
    [InlineData("""{ "tune": { "models": ["als"], "seconds": -1 } }""", "setting 'tune.seconds' must be above 0; it is -1.")]
    [InlineData("""{ "tune": { "modles": ["als"] } }""", "unknown key 'tune.modles'; accepted here: models, candidates, seconds.")]
    public void Run_ChecksEverySettingBeforeLoadingData(string json, string expected)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        if (root["data"] is not System.Text.Json.Nodes.JsonObject data)
        {
            root["data"] = data = [];
        }

        data["path"] = TestData.LatestSmall;
        var withData = root.ToJsonString();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (exit, output, error) = Run("run", "--config", Config(withData), "--out", Path.Combine(_dir, "out"));
        Assert.Equal(CommandRunner.UsageError, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("loading", output, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Run_RefusesAFileAsData_AndAnOutputFolderThatIsAFile()
    {
        var (exit, _, error) = Run("run", "--data", Path.Combine(TestData.LatestSmall, "ratings.csv"), "--out", Path.Combine(_dir, "out"));
        Assert.Equal(CommandRunner.UsageError, exit);
        Assert.Contains("is a file; with data.format MovieLens the main job reads a MovieLens directory", error, StringComparison.Ordinal);
        var blocker = Path.Combine(_dir, "blocker");
        File.WriteAllText(blocker, "x");
        (exit, _, error) = Run("run", "--data", TestData.LatestSmall, "--out", blocker);
        Assert.Equal(CommandRunner.UsageError, exit);
        Assert.Contains($"cannot write {blocker}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SaysWhichConfigItUses()
    {
        var config = Config("""{ "models": { "itemknn": { "neighbours": 20 } } }""");
        var (exit, output, error) = Run("evaluate", TestData.LatestSmall, "--models", "popularity", "--config", config, "--sample-users", "50");
        Assert.True(exit == 0, error);
        Assert.Contains($"config: {config}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ChoosesEpochsOnValidation_RefitsOnAllData_AndRefusesAForeignCheckpoint()
    {
        var model = Path.Combine(_dir, "als.model");
        var checkpoint = Path.Combine(_dir, "als.ckpt");
        var (exit, output, error) = Run("train", TestData.LatestSmall, "--model", "als", "--epochs", "4", "--factors", "8", "--out", model, "--checkpoint", checkpoint);
        Assert.True(exit == 0, error);
        Assert.Contains("validation chose epoch", output, StringComparison.Ordinal);
        Assert.Contains("refitting on all 100,836 interactions", output, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
        var saved = ModelFile.Load(model);
        Assert.Equal(610, saved.Users.Count); // fitted on every user's interactions, not the validation part
        Assert.Equal(ModelFile.Load(checkpoint).Metadata["refitEpochs"], saved.Metadata["epochs"]);

        (exit, _, error) = Run("train", TestData.LatestSmall, "--model", "bpr", "--checkpoint", checkpoint, "--resume", "--out", Path.Combine(_dir, "bpr.model"));
        Assert.Equal(CommandRunner.UsageError, exit);
        Assert.Contains("checkpoint of a 'als' run; this run trains 'bpr'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_WithoutValidation_PrintsNoMetric()
    {
        var (exit, output, error) = Run("train", TestData.LatestSmall, "--model", "als", "--epochs", "2", "--factors", "8", "--validation-fraction", "0", "--out", Path.Combine(_dir, "a.model"), "--checkpoint", Path.Combine(_dir, "a.ckpt"));
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Recall", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnANonMovieCatalogue_WithCountsAndFeatureFiles_ThenRetrainWithIngested()
    {
        // examples/music.json, trimmed to fast models; paths made absolute so the test runs from any folder.
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.RepoRoot, "examples", "music.json")), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        var data = root["data"]!.AsObject();
        data["path"] = Path.Combine(TestData.RepoRoot, "data", "music-demo", "plays.csv");
        data["itemFeatures"]!["path"] = Path.Combine(TestData.RepoRoot, "data", "music-demo", "items.csv");
        data["userFeatures"]!["path"] = Path.Combine(TestData.RepoRoot, "data", "music-demo", "users.csv");
        root["baseModels"] = new System.Text.Json.Nodes.JsonArray("itemknn", "content", "two-tower");
        root["models"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "two-tower": { "factors": 16, "epochs": 4 } }""");
        root["stack"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "candidates": { "itemknn": 50, "popularity": 20, "content": 20 }, "averageOf": ["itemknn", "content"], "trees": 30 }""");
        root["serve"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "feedbackTypes": { "interaction": 1, "view": 1, "purchase": 5, "dislike": -1, "skip": -1 } }"""); // "skip" is negative here only
        var output = Path.Combine(_dir, "music");
        var configPath = Config(root.ToJsonString());
        var (exit, text, error) = Run("run", "--config", configPath, "--out", output);
        Assert.True(exit == 0, error + text);
        Assert.Contains("163 items have features but no interactions (cold start)", text, StringComparison.Ordinal);
        Assert.Contains("102 users have features but no interactions", text, StringComparison.Ordinal);
        Assert.Contains("relevant = any interaction", text, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("relevant = any held-out interaction", report, StringComparison.Ordinal);
        Assert.Contains("| content |", report, StringComparison.Ordinal);
        using var recommendations = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "recommendations-music.json")));
        var lists = recommendations.RootElement.GetProperty("recommendations");
        Assert.Equal(2000, lists.EnumerateObject().Count()); // the 102 users without plays included
        Assert.Contains("Song ", lists.EnumerateObject().First().Value.GetRawText(), StringComparison.Ordinal); // titles from the display column

        // The service ingests plays of a new listener; retrain takes them in as the next bundle.
        var bundles = new RecKit.Bundles.BundleStore(Path.Combine(output, "bundles"));
        Assert.Equal("v0001", bundles.CurrentVersion());
        var (listenerOfTheNewSong, itsTwin) = await AddASongAndAListenersFeatures_RankedAtOnce(bundles.Root);
        var store = RecKit.Serving.SqliteInteractionStore.Open(Path.Combine(bundles.Root, "interactions.db"));
        var last = (await store.AppendAsync([new("listener-new", "s0002", "view", 2, 1_700_000_000_000), new("listener-new", "s0003", "purchase", 1, 1_700_000_000_001), new("listener-new", "s0004", "dislike", 1, 1_700_000_000_002), new("listener-new", "s0005", "skip", 1, 1_700_000_000_003)]))[^1];
        var erased = RecKit.Serving.ServingBundle.Load(bundles.PathOf("v0001")).Users[0]; // a listener of the original data asks to be forgotten
        await store.EraseUserAsync(erased);
        await store.DisposeAsync();

        // Retrain reads the service's configuration: the configured negative "skip" is an exclusion like the dislike, not a play.
        var (retrained, retrainText, retrainError) = Run("retrain", "--config", configPath, "--bundle-root", bundles.Root);
        Assert.True(retrained == 0, retrainError + retrainText);
        Assert.Contains("retraining with 4 interactions ingested by the service", retrainText, StringComparison.Ordinal); // and the two played while serving
        Assert.Equal("v0002", bundles.CurrentVersion());
        var bundle = RecKit.Serving.ServingBundle.Load(bundles.PathOf("v0002"));
        Assert.Equal(last, bundle.Manifest.IngestedThrough);
        Assert.True(bundle.Users.TryGetIndex("listener-new", out var listener));
        Assert.Equal(2, bundle.History.RowLength(listener));
        Assert.False(bundle.Users.TryGetIndex(erased, out _)); // the original data left the erased user out
        Assert.Equal(1, bundle.Manifest.ErasuresThrough);

        // The song added through the service is in the new bundle's catalogue with its title and features, and its play counts.
        Assert.Contains("1 items added or updated and 1 users' features set by the service are taken in", retrainText, StringComparison.Ordinal);
        Assert.True(bundle.Items.TryGetIndex("s-new", out var song));
        Assert.Equal("A song added while serving", bundle.Catalogue[song].Title);
        Assert.True(bundle.Items.TryGetIndex(itsTwin, out var twin));
        Assert.Equal(bundle.Catalogue[twin].Labels, bundle.Catalogue[song].Labels); // its features: those of the song whose features it was given
        Assert.True(bundle.Users.TryGetIndex(listenerOfTheNewSong, out var fan));
        Assert.Contains(song, bundle.History.RowColumns(fan).ToArray());
    }

    /// <summary>
    /// The service over the music bundle: a song put with the features of a song it holds is ranked at once by the content
    /// variant (first, for a listener of that song) and by the two-tower (beside the cold song whose features it takes),
    /// accepted in ingest and then never recommended back; a listener's features are stored for the next retrain.
    /// </summary>
    private static async Task<(string Listener, string Twin)> AddASongAndAListenersFeatures_RankedAtOnce(string bundleRoot)
    {
        await using var service = await RecKit.Serving.RecommendationService.StartAsync(new RecKit.Serving.ServiceOptions { BundleRoot = bundleRoot });
        var bundle = service.Current.Bundle;
        var rows = File.ReadLines(Path.Combine(TestData.RepoRoot, "data", "music-demo", "items.csv")).Skip(1).Select(l => RecKit.Data.CsvFields.Split(l)).ToDictionary(f => f[0]);
        static Dictionary<string, System.Text.Json.JsonElement> Features(List<string> f) => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(
            System.Text.Json.JsonSerializer.Serialize(new { artist = f[2], genre = f[3], moods = f[4].Split('|'), tempo = double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture) }))!;

        var put = await service.PutItemAsync("s-new", "A song added while serving", Features(rows["s0001"]));
        Assert.False(put.InBundle);
        Assert.Contains("content", put.RecommendableBy);
        Assert.Contains("two-tower", put.RecommendableBy);
        Assert.Empty(put.UnknownFeatures);

        await service.IngestAsync([new("jazz-fan", "s0001", "interaction", 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())]);
        var content = await service.RecommendAsync("jazz-fan", 1, "content");
        Assert.Equal("s-new", content.Items[0].Item); // the same features as the one song they played: cosine 1
        Assert.Equal("A song added while serving", content.Items[0].Title);

        // The two-tower scores it as the cold song whose features it has: for a listener with that song in their top 10, it is beside it.
        var counts = new int[bundle.Items.Count];
        foreach (var i in bundle.History.ColumnIndices)
        {
            counts[i]++;
        }

        var coldIds = Enumerable.Range(0, counts.Length).Where(i => counts[i] == 0 && rows.ContainsKey(bundle.Items[i])).Select(i => bundle.Items[i]).ToHashSet();
        var (listener, cold) = Enumerable.Range(1, bundle.Users.Count - 1).Select(u => bundle.Users[u]) // not user 0: the test erases them
            .Select(u => (u, service.RecommendAsync(u, 10, "two-tower").Result.Items.Select(i => i.Item).FirstOrDefault(coldIds.Contains)))
            .First(p => p.Item2 is not null);
        await service.PutItemAsync("s-new", "A song added while serving", Features(rows[cold!]));
        var towers = await service.RecommendAsync(listener, 12, "two-tower");
        Assert.Contains(towers.Items, i => i.Item == "s-new");

        await service.IngestAsync([new(listener, "s-new", "interaction", 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())]);
        Assert.DoesNotContain((await service.RecommendAsync(listener, 50, "two-tower")).Items, i => i.Item == "s-new");

        await service.PutUserFeaturesAsync("listener-gone", System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>("""{ "country": "FR" }""")!);
        await service.DeleteUserFeaturesAsync("listener-gone"); // forgotten: the retrain counts one user's features, not two
        await Assert.ThrowsAsync<RecKit.Serving.ResourceNotFoundException>(() => service.DeleteUserFeaturesAsync("listener-gone"));
        var features = await service.PutUserFeaturesAsync("jazz-fan", System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>("""{ "age": 30, "country": "DE" }""")!);
        Assert.Empty(features.UnknownFeatures);
        var bad = await Assert.ThrowsAsync<RecKit.Serving.RequestFieldException>(() => service.PutItemAsync("s-bad", null, System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>("""{ "tempo": "fast" }""")));
        Assert.Equal("features.tempo", bad.Field);
        return (listener, cold!);
    }

    [SkippableFact]
    public void Ml100k_DescribedAsPlainFiles_GivesThePresetsFigures()
    {
        Skip.IfNot(TestData.HasMl100k, TestData.Ml100kMissing);
        var plain = Path.Combine(_dir, "ml100k-plain");
        Ml100kAsPlainCsv.Write(TestData.Ml100k, plain);
        const string Common = """
            "baseModels": ["bias", "itemknn", "genre", "two-tower"],
            "models": { "two-tower": { "factors": 16, "epochs": 5 } },
            "stack": { "candidates": { "itemknn": 50, "popularity": 20, "genre": 20 }, "averageOf": ["bias", "itemknn", "genre"], "trees": 40 }
            """;
        var preset = Config($$"""{ "data": { "path": {{System.Text.Json.JsonSerializer.Serialize(TestData.Ml100k)}} }, {{Common}} }""");
        var generic = Config($$"""
            { "data": {
                "format": "Delimited", "path": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(plain, "ratings.csv"))}},
                "user": "user", "item": "item", "value": "rating", "timestamp": "timestamp", "values": "Ratings", "ratingScale": "1:5",
                "itemFeatures": { "path": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(plain, "items.csv"))}}, "id": "item_id", "display": "title",
                                  "columns": [ { "name": "genres", "kind": "Multi" } ] },
                "userFeatures": { "path": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(plain, "users.csv"))}}, "id": "user_id",
                                  "columns": [ { "name": "age_band" }, { "name": "gender" }, { "name": "occupation" } ] } },
              {{Common}} }
            """);
        Dictionary<string, double> Figures(string config, string output)
        {
            var (exit, text, error) = Run("run", "--config", config, "--out", Path.Combine(_dir, output));
            Assert.True(exit == 0, error + text);
            using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, output, "report.json")));
            return report.RootElement.GetProperty("rows").EnumerateArray()
                .ToDictionary(r => $"{r.GetProperty("model").GetString()}/{r.GetProperty("trainedOn").GetString()}", r => r.GetProperty("metrics").GetProperty("NDCG@10").GetDouble());
        }

        var (a, b) = (Figures(preset, "preset"), Figures(generic, "generic"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (row, ndcg) in a)
        {
            Assert.True(Math.Abs(ndcg - b[row]) < 0.01, $"{row}: preset {ndcg:F4}, plain files {b[row]:F4}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AbReport_PrintsCtrPerArm_WithIntervals_AndTheDifference(bool postgres)
    {
        var root = RecKit.Tests.Server.LatestSmallBundle.NewRoot();
        try
        {
            var db = Path.Combine(_dir, "ab.db");
            var connection = postgres ? RecKit.Tests.Serving.Storage.PostgresServer.Instance.NewDatabase() : null;
            await using (RecKit.Serving.IInteractionStore store = connection is null ? RecKit.Serving.SqliteInteractionStore.Open(db) : RecKit.Serving.PostgresInteractionStore.Open(connection))
            {
                var rows = new List<RecKit.Serving.StoredFeedback>();
                for (var j = 0; j < 200; j++)
                {
                    rows.Add(new("u" + j, "1", "impression", "als", "zcontrol", "v0001", j, "exp"));
                    rows.Add(new("v" + j, "1", "impression", "LogisticStack", "treatment", "v0001", j, "exp"));
                }

                rows.AddRange(Enumerable.Range(0, 20).Select(j => new RecKit.Serving.StoredFeedback("u" + j, "1", "click", "als", "zcontrol", "v0001", j, "exp")));
                rows.AddRange(Enumerable.Range(0, 60).Select(j => new RecKit.Serving.StoredFeedback("v" + j, "1", "click", "LogisticStack", "treatment", "v0001", j, "exp")));
                rows.Add(new("w", "1", "impression", "itemknn", "", "v0001", 1)); // outside any experiment: not an arm
                await store.AppendFeedbackAsync(rows);
            }

            // The control is the configured one, even when it sorts last.
            var where = connection is null ? $"\"database\": {System.Text.Json.JsonSerializer.Serialize(db)}" : $"\"postgres\": {System.Text.Json.JsonSerializer.Serialize(connection)}";
            var config = Config($$"""{ "serve": { "bundleRoot": {{System.Text.Json.JsonSerializer.Serialize(root)}}, {{where}}, "experiment": { "name": "exp", "control": "zcontrol", "arms": [ { "name": "treatment", "variant": "LogisticStack", "weight": 1 }, { "name": "zcontrol", "variant": "als", "weight": 1 } ] } } }""");
            var (exit, text, error) = Run("ab", "report", "--config", config);
            Assert.True(exit == 0, error + text);
            Assert.Contains("10.00%", text, StringComparison.Ordinal); // control 20/200
            Assert.Contains("30.00%", text, StringComparison.Ordinal); // treatment 60/200
            Assert.Contains("treatment vs zcontrol: CTR +20.00 points", text, StringComparison.Ordinal);
            Assert.Contains("relative +200.0%", text, StringComparison.Ordinal);
            Assert.Contains("left out: 1 impressions and clicks outside the experiment", text, StringComparison.Ordinal);
            Assert.DoesNotContain("holds 0", text, StringComparison.Ordinal);
            Assert.Equal(2, Run("ab", "report", "--db", Path.Combine(_dir, "none.db"), "--bundle-root", root, "--experiment", "exp").Exit);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }
}
