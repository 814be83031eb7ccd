using System.Globalization;
using System.Text;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Bench;

/// <summary>
/// Cold items on a MovieLens directory: 10% of the rated items held out with all their interactions (seed 42), every
/// user's ranking restricted to them, relevant = rating ≥ 4, NDCG@10 of popularity, the content model and the
/// two-tower. Args: DATA [OUT] [--two-tower JSON] [--seeds N]; DATA is a MovieLens directory or a main-job config file
/// (its "data" section); JSON sets two-tower options; N more two-tower runs with seeds 1..N show the spread; --blend adds
/// the diagnostic two-tower + w × content for w in 0.5..8 (how far a content channel would carry the towers). With OUT, the split and the item features are written there as index triples
/// (train.csv, test.csv, item_features.csv) so that a peer can be measured on exactly the same split.
/// </summary>
internal static class ColdItemsBench
{
    private static readonly float[] BlendWeights = [0.5f, 1f, 2f, 4f, 8f];

    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static readonly System.Text.Json.JsonSerializerOptions ConfigJson = new(WebJson) { ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static int Run(string[] args)
    {
        // Trailing "--two-tower JSON" sets two-tower options; "--seeds N" trains it with seeds 1..N.
        var twoTower = new TwoTowerOptions();
        var seeds = 0;
        var blend = args.Contains("--blend");
        for (var a = 0; a < args.Length - 1; a++)
        {
            if (args[a] == "--two-tower")
            {
                twoTower = System.Text.Json.JsonSerializer.Deserialize<TwoTowerOptions>(args[a + 1], ConfigJson)!;
            }
            else if (args[a] == "--seeds")
            {
                seeds = int.Parse(args[a + 1], CultureInfo.InvariantCulture);
            }
        }

        args = [.. args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal))];
        var catalogue = Catalogue.Load(Describe(args.Length > 0 ? args[0] : Path.Combine("data", "ml-latest-small")));
        var (data, features) = ItemShuffle.Apply(catalogue.Data, (catalogue.ItemFeatures ?? throw new ArgumentException("the catalogue has no item features")).Values, seed: 49);
        var (split, cold) = Splitter.HoldOut(data, items: true, 0.1, seed: 42);
        if (args.Length > 1)
        {
            Directory.CreateDirectory(args[1]);
            Write(Path.Combine(args[1], "train.csv"), split.Train);
            Write(Path.Combine(args[1], "test.csv"), split.Test);
            var lines = new StringBuilder($"{data.UserCount},{data.ItemCount},{features.ColumnCount}\n");
            for (var i = 0; i < features.RowCount; i++)
            {
                var columns = features.RowColumns(i);
                var values = features.RowValues(i);
                for (var c = 0; c < columns.Length; c++)
                {
                    lines.Append(CultureInfo.InvariantCulture, $"{i},{columns[c]},{values[c]}\n");
                }
            }

            File.WriteAllText(Path.Combine(args[1], "item_features.csv"), lines.ToString());
            File.WriteAllText(Path.Combine(args[1], "cold_items.csv"), string.Join('\n', cold.Order()) + "\n");
        }

        var options = new EvaluationOptions { Ks = [10], RelevanceThreshold = catalogue.Relevance(4f), ComputeAuc = false, Seed = 42 };
        (string, IRecommender)[] models =
        [
            ("popularity", new PopularityTrainer().Fit(split.Train)),
            ("content", new ContentTrainer(features).Fit(split.Train)),
            ("two-tower", new TwoTowerTrainer(catalogue.UserFeatures?.Values, features, twoTower, RecKit.Evaluation.EvaluatorJudge.Instance).Fit(split.Train)),
            .. Enumerable.Range(1, seeds).Select(s => ($"two-tower seed {s}", (IRecommender)new TwoTowerTrainer(catalogue.UserFeatures?.Values, features, twoTower with { Seed = s }, RecKit.Evaluation.EvaluatorJudge.Instance).Fit(split.Train))),
        ];
        if (blend)
        {
            models = [.. models, .. BlendWeights.Select(w => ($"two-tower + {w} × content", (IRecommender)new Blend(models[2].Item2, models[1].Item2, w)))];
        }

        foreach (var (name, model) in models)
        {
            var result = Evaluator.Evaluate(new ItemSubsetRecommender(model, cold), split.Train, split.Test, options);
            var channel = model is TwoTowerModel towers ? string.Create(CultureInfo.InvariantCulture, $" (content channel weight {towers.ContentWeight})") : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold items ({cold.Count} held out), {name}: NDCG@10 {result["NDCG@10"]:F4} over {result.UsersEvaluated} users{channel}"));
        }

        return 0;
    }

    /// <summary>A MovieLens directory, or a main-job config file whose "data" section describes the catalogue.</summary>
    internal static CatalogueDescription Describe(string source)
    {
        if (!source.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return new CatalogueDescription { Path = source };
        }

        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(source), new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return System.Text.Json.JsonSerializer.Deserialize<CatalogueDescription>(config.RootElement.GetProperty("data"), ConfigJson)!;
    }

    private static void Write(string path, Interactions part)
    {
        var text = new StringBuilder();
        for (var p = 0; p < part.Count; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{part.Users[p]},{part.Items[p]},{part.Values[p]}\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Diagnostic: a + w·b.</summary>
    private sealed class Blend(IRecommender a, IRecommender b, float w) : IRecommender
    {
        public int UserCount => a.UserCount;

        public int ItemCount => a.ItemCount;

        public bool IsKnownUser(int user) => a.IsKnownUser(user);

        public void ScoreAll(int user, Span<float> scores)
        {
            var other = new float[ItemCount];
            a.ScoreAll(user, scores);
            b.ScoreAll(user, other);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(other, w, scores[..ItemCount], scores[..ItemCount]);
        }

        public void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
        {
            var other = new float[items.Length];
            a.Score(user, items, scores);
            b.Score(user, items, other);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(other.AsSpan(0, items.Length), w, scores[..items.Length], scores[..items.Length]);
        }
    }
}
