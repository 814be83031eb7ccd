// RecKit as a library: load interactions, split them, train two models, evaluate both with one protocol,
// recommend for a user, save a model and load it back. Usage: LibraryQuickstart [MOVIELENS_DIR] [OUT_DIR]
using System.Globalization;
using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Ranking;

var directory = args.Length > 0 ? args[0] : Path.Combine("data", "ml-latest-small");
var output = args.Length > 1 ? args[1] : Path.GetTempPath();

// 1. Load: any delimited file works (DelimitedInteractionReader); MovieLens has a preset.
var data = MovieLens.LoadLatestRatings(directory).Interactions;
Console.WriteLine($"{data.Count} interactions, {data.UserCount} users, {data.ItemCount} items");

// 2. Split: 20% of each user's interactions held out, seeded.
var split = Splitter.PerUser(data, testFraction: 0.2, seed: 42);

// 3. Train two models by name, with typed options read from JSON (as a config file holds them) ...
var als = ModelSpec.Read("als", new JsonObject { ["factors"] = 32, ["iterations"] = 10 }).Fit(new ModelInputs(split.Train));
// ... or with a trainer and its options record directly.
var itemKnn = new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 50 }).Fit(split.Train);

// 4. Evaluate: full-catalogue ranking, training items excluded, ratings >= 4 relevant.
var options = new EvaluationOptions { Ks = [10], RelevanceThreshold = 4f, Seed = 42 };
foreach (var (name, model) in new[] { ("als", als), ("itemknn", itemKnn) })
{
    var result = Evaluator.Evaluate(model, split.Train, split.Test, options);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: NDCG@10 {result["NDCG@10"]:F4}, Recall@10 {result["Recall@10"]:F4}"));
}

// 5. Recommend: top 5 for the first user, seen items excluded.
var top = Recommendations.ForUser(als, user: 0, n: 5, seen: split.Train.ByUser);
Console.WriteLine($"user {data.UserMap[0]}: {string.Join(", ", top.Items.Select(i => data.ItemMap[i]))}");

// 6. Save and load (versioned, checksummed, written atomically); the loaded model ranks the same.
var path = Path.Combine(output, "quickstart-als.model");
ModelFile.Save(path, (IPersistableModel)als, data.UserMap, data.ItemMap);
var loaded = ModelFile.Load(path);
var again = Recommendations.ForUser(loaded.Model, user: 0, n: 5, seen: split.Train.ByUser);
Console.WriteLine(again.Items.SequenceEqual(top.Items) ? "saved and loaded: same top 5" : "saved and loaded: DIFFERENT top 5");
return again.Items.SequenceEqual(top.Items) ? 0 : 1;
