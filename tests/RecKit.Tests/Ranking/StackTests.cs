using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;
using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

public class StackTests
{
    internal static StackTrainingSet Synthetic(int rows, Func<float[], bool> label, int seed)
    {
        var random = new Random(seed);
        var data = new float[rows * 3];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < 3; f++)
            {
                data[(r * 3) + f] = (float)((random.NextDouble() * 4) - 2);
            }

            labels[r] = label(data.AsSpan(r * 3, 3).ToArray()) ? 1 : 0;
        }

        return new StackTrainingSet(data, labels, Enumerable.Range(0, rows).Select(r => (uint)(r / 20)).ToArray(), rows, ["a", "b", "c"]);
    }

    [Fact]
    public void Logistic_RecoversTheSignsAndOrderOfTrueWeights()
    {
        // P(y) = σ(2a − b), c is noise.
        var random = new Random(1);
        var set = Synthetic(4000, x => random.NextDouble() < 1 / (1 + Math.Exp(-((2 * x[0]) - x[1]))), 2);
        var model = LogisticStack.Fit(set, l2: 0.1);
        var w = model.Coefficients;
        Assert.True(w[0] > 0 && w[1] < 0, $"weights {string.Join(", ", w)}");
        Assert.True(Math.Abs(w[0]) > Math.Abs(w[1]) && Math.Abs(w[1]) > Math.Abs(w[2]) * 3);
        // The fitted a-coefficient on standardised a (sd ≈ 1.155) is about 2 × 1.155.
        Assert.InRange(w[0], 1.8, 2.8);
    }

    [Fact]
    public void Logistic_LeavingAFeatureOut_WeighsIt0_AndFitsTheRestAsWithoutTheColumn()
    {
        var random = new Random(3);
        var set = Synthetic(3000, x => random.NextDouble() < 1 / (1 + Math.Exp(-(x[0] - x[1] + (0.5 * x[2])))), 4);
        var model = LogisticStack.Fit(set, l2: 1, leftOut: ["b"]);

        // The reference: the same rows without column b.
        var rows = Enumerable.Range(0, set.Count).SelectMany(r => new[] { set.Rows[r * 3], set.Rows[(r * 3) + 2] }).ToArray();
        var reference = LogisticStack.Fit(new StackTrainingSet(rows, set.Labels, set.Groups, set.Count, ["a", "c"]), l2: 1);
        Assert.Equal(0, model.Coefficients[1]);
        Assert.Equal(reference.Coefficients[0], model.Coefficients[0], 5);
        Assert.Equal(reference.Coefficients[1], model.Coefficients[2], 5);
        Assert.Equal(reference.Coefficients[2], model.Coefficients[3], 5); // the intercept
        Assert.Equal(0, model.Importances.Single(i => i.Feature == "b").Importance);

        // Scores ignore the column, whatever it holds.
        var changed = set.Rows[..30].ToArray();
        for (var r = 0; r < 10; r++)
        {
            changed[(r * 3) + 1] = 1000 * r;
        }

        Assert.Equal(model.Predict(set.Rows[..30].ToArray(), 10), model.Predict(changed, 10));
    }

    [Fact]
    public void MetaFeatures_FitScaledScores_AreTheRankingScores_WhenThePerUserColumnsCarryThem()
    {
        var ratings = TestData.Build(3, 4, (0, 0, 5), (0, 1, 3), (1, 2, 4), (2, 3, 2), (1, 0, 4));
        var als = new AlsTrainer(new AlsOptions { Factors = 4, Iterations = 2, Threads = 1 }).Fit(ratings);
        var mf = new MatrixFactorizationTrainer(new MatrixFactorizationOptions { Epochs = 2, Threads = 1 }).Fit(ratings);
        var popularity = new PopularityTrainer().Fit(ratings); // on ratings: the item's mean rating
        Assert.Equal(["score_als"], new MetaFeatures([("als", als), ("mf", mf), ("pop", popularity)], ratings).FitScaledScores);
        Assert.Empty(new MetaFeatures([("als", als), ("mf", mf)], ratings, perUser: false).FitScaledScores);
    }

    [Fact]
    public void GradientBoosting_LearnsANonLinearRule_AndRanksByIt()
    {
        var set = Synthetic(3000, x => x[0] * x[1] > 0, 3); // XOR of signs: no linear model can do this
        foreach (var lambdaRank in new[] { false, true })
        {
            var model = LightGbmStack.Fit(set, lambdaRank, trees: 100, minRowsPerLeaf: 20);
            var test = Synthetic(500, x => x[0] * x[1] > 0, 4);
            var scores = model.Predict(test.Rows, test.Count);
            var positives = Enumerable.Range(0, test.Count).Where(r => test.Labels[r] > 0).Average(r => scores[r]);
            var negatives = Enumerable.Range(0, test.Count).Where(r => test.Labels[r] == 0).Average(r => scores[r]);
            Assert.True(positives > negatives, $"{model.Name}: mean score of positives {positives:F3} vs negatives {negatives:F3}");
            Assert.True(model.Importances[2].Importance < model.Importances[0].Importance, "the noise feature should matter least");
        }
    }

    [Fact]
    public void Candidates_ExcludeSeenItems_AndRecallCountsWhatReachesThem()
    {
        var data = TestData.Synthetic();
        var split = Splitter.PerUser(data, 0.25, 1);
        var popularity = new PopularityTrainer().Fit(split.Train);
        var generator = new CandidateGenerator([("popularity", popularity, 5)]);
        var buffer = new float[data.ItemCount];
        var seen = split.Train.ByUser;
        for (var u = 0; u < 39; u++)
        {
            var candidates = generator.For(u, seen, buffer);
            Assert.Equal(5, candidates.Length);
            Assert.All(candidates, i => Assert.False(seen.Contains(u, i)));
        }

        var all = new CandidateGenerator([("popularity", popularity, data.ItemCount)]);
        Assert.Equal(1.0, all.Recall(split.Test, seen, null), 10); // every unseen item is a candidate
        Assert.InRange(generator.Recall(split.Test, seen, null), 0.0, 0.999);
    }

    [Fact]
    public void CandidateRows_BuiltInParallelOnce_MatchTheOneUserAtATimePath()
    {
        // The reference: candidates, feature rows, recall and stack scores computed one user at a time, as before.
        var data = TestData.Synthetic();
        var split = Splitter.ThreeWay(data, 7);
        var knn = new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 10 }).Fit(split.BaseTrain);
        var popularity = new PopularityTrainer().Fit(split.BaseTrain);
        var generator = new CandidateGenerator([("itemknn", knn, 8), ("popularity", popularity, 5)]);
        var features = new MetaFeatures([("itemknn", knn), ("popularity", popularity)], split.TrainFull);
        var history = split.BaseTrain.ByUser;
        var users = UserSample.Users(split.MetaTrain);
        var built = CandidateRows.Build(features, generator, history, users, threads: 2);
        var buffer = new float[data.ItemCount];
        for (var j = 0; j < users.Length; j++)
        {
            var items = generator.For(users[j], history, buffer);
            Assert.Equal(items, built.ItemsOf(j).ToArray());
            var rows = new float[items.Length * features.Count];
            features.Build(users[j], items, rows);
            Assert.Equal(rows, built.Rows.AsSpan(built.Offsets[j] * features.Count, rows.Length).ToArray());
        }

        Assert.Equal(generator.Recall(split.MetaTrain, history, null), built.Recall(split.MetaTrain, null), 12);

        // Per user: each user's share of their own held-out items, averaged; not the pooled share (users hold different counts).
        var shares = new List<double>();
        foreach (var u in users)
        {
            var heldOut = split.MetaTrain.ByUser.RowColumns(u).ToArray();
            var candidates = generator.For(u, history, buffer);
            shares.Add(heldOut.Count(i => candidates.Contains(i)) / (double)heldOut.Length);
        }

        Assert.Equal(shares.Average(), built.RecallPerUser(split.MetaTrain, null), 12);
        Assert.NotEqual(built.Recall(split.MetaTrain, null), built.RecallPerUser(split.MetaTrain, null), 6);
        var training = StackTrainingSet.Label(built, split.MetaTrain, null);
        var meta = LogisticStack.Fit(training, 1);
        var (once, each) = (new StackRecommender(meta, features, generator, history, data.UserCount, data.ItemCount), new StackRecommender(meta, features, generator, history, data.UserCount, data.ItemCount));
        once.Prepare(built);
        var (a, b) = (new float[data.ItemCount], new float[data.ItemCount]);
        foreach (var u in users)
        {
            once.ScoreAll(u, a);
            each.ScoreAll(u, b); // prepared on demand, one user at a time
            Assert.Equal(b, a);
        }
    }

    [Fact]
    public void UserSample_KeepsWholeUsers_TheSameMaps_AndIsSeeded()
    {
        var data = TestData.Synthetic();
        var all = UserSample.Users(data).Length;
        var sample = UserSample.Of(data, 10, 3);
        Assert.Same(data.UserMap, sample.UserMap);
        Assert.Same(data.ItemMap, sample.ItemMap);
        Assert.Equal(10, UserSample.Users(sample).Length);
        for (var u = 0; u < data.UserCount; u++)
        {
            var kept = sample.ByUser.RowLength(u);
            Assert.True(kept == 0 || kept == data.ByUser.RowLength(u), $"user {u}: {kept} of {data.ByUser.RowLength(u)} rows kept");
        }

        Assert.Equal(sample.Users.ToArray(), UserSample.Of(data, 10, 3).Users.ToArray());
        Assert.NotEqual(sample.Users.ToArray(), UserSample.Of(data, 10, 4).Users.ToArray());
        Assert.Same(data, UserSample.Of(data, all, 3));
        Assert.Same(data, UserSample.Of(data, null, 3));
    }

    [Fact]
    public void LatestSmall_EveryLearnedStackBeatsPopularity_TheAverage_AndItsCandidatesInIndexOrder()
    {
        var data = MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions;
        var catalog = MovieLens.LoadLatestItemMetadata(TestData.LatestSmall, data.ItemMap);
        var split = Splitter.ThreeWay(data, 42);
        (string, Func<Interactions, IRecommender>)[] models =
        [
            ("popularity", t => new PopularityTrainer().Fit(t)),
            ("bias", t => new BiasTrainer().Fit(t)),
            ("itemknn", t => new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 50 }).Fit(t)),
            ("genre", t => new ContentTrainer(catalog.Genres.Values).Fit(t)),
        ];
        var report = StackExperiment.Run(split, models, new StackExperimentOptions { Trees = 60, Candidates = [("itemknn", 50), ("popularity", 30)], IncludeCandidateBaseline = true });
        double Ndcg(string model, string on) => report.Rows.Single(r => r.Model.StartsWith(model, StringComparison.Ordinal) && r.TrainedOn == on).Result["NDCG@10"];
        var floors = new[] { Ndcg("popularity", "train_full"), Ndcg("SimpleAverage", "meta_train"), Ndcg("CandidatesByIndex", "meta_train") };
        foreach (var stack in new[] { "LogisticStack", "GBStack", "LambdaMARTStack", "XeNdcgStack" })
        {
            Assert.True(Ndcg(stack, "meta_train") > floors.Max() + 0.005, $"{stack} NDCG@10 {Ndcg(stack, "meta_train"):F4}; popularity, SimpleAverage4, candidates by index: {string.Join(", ", floors.Select(f => f.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
        }

        Assert.InRange(report.CandidateRecall, 0.05, 1);
        Assert.Contains("score_itemknn", report.Importances["GBStack"].Select(i => i.Feature));
        Assert.DoesNotContain("CandidatesByIndex", report.Importances.Keys);
    }

    [Fact]
    public void MetaSplits_AddTheRowsOfFurtherSplitsOfTrainFull_EachWithBaseModelsFittedOnItsOwnBasePart()
    {
        var data = TestData.Synthetic();
        var split = Splitter.ThreeWay(data, 7);
        var fittedOn = new List<Interactions>();
        (string, Func<Interactions, IRecommender>)[] models =
        [
            ("itemknn", t =>
            {
                lock (fittedOn)
                {
                    fittedOn.Add(t);
                }

                return new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 10 }).Fit(t);
            }),
        ];
        var options = new StackExperimentOptions { Trees = 20, Candidates = [("itemknn", 20), ("popularity", 10)], Seed = 7 };
        var one = StackExperiment.Run(split, models, options);
        Assert.Equal(2, fittedOn.Count); // base_train, then train_full
        fittedOn.Clear();
        var three = StackExperiment.Run(split, models, options with { MetaSplits = 3 });

        Assert.Equal(3, three.MetaSplits);
        Assert.Equal(4, fittedOn.Count); // base_train, two further base parts, train_full
        var further = fittedOn.Where(t => t != split.BaseTrain && t != split.TrainFull).ToList();
        Assert.Equal(2, further.Count);
        foreach (var part in further)
        {
            Assert.InRange(part.Count, 0.7 * split.TrainFull.Count, 0.9 * split.TrainFull.Count); // 80% of each user's train_full
            Assert.NotEqual(Keys(split.BaseTrain), Keys(part)); // carved again, not the given split
        }

        Assert.NotEqual(Keys(further[0]), Keys(further[1]));
        Assert.InRange(three.MetaRows, 2.5 * one.MetaRows, 3.5 * one.MetaRows);
        Assert.InRange(three.MetaPositiveRate, 0.5 * one.MetaPositiveRate, 2 * one.MetaPositiveRate); // labelled by each split's own held-out part

        // The first split's figures are the given split's, whatever follows.
        Assert.Equal(one.MetaTrainCandidateRecall, three.MetaTrainCandidateRecall);
        Assert.Equal(one.CandidateRecall, three.CandidateRecall);
        Assert.Throws<ArgumentOutOfRangeException>(() => StackExperiment.Run(split, models, options with { MetaSplits = 0 }));

        static HashSet<(int, int)> Keys(Interactions part)
        {
            var keys = new HashSet<(int, int)>();
            for (var k = 0; k < part.Count; k++)
            {
                keys.Add((part.Users[k], part.Items[k]));
            }

            return keys;
        }
    }

    [Fact]
    public void TrainingSets_Concatenate_WithEachSetsGroupsKeptApart()
    {
        var a = new StackTrainingSet([1, 2, 3, 4, 5, 6], [1, 0, 0], [4, 4, 9], 3, ["x", "y"]);
        var b = new StackTrainingSet([7, 8, 9, 10, 99, 99], [0, 1, 99], [4, 4, 99], 2, ["x", "y"]); // arrays longer than Count: only Count rows count
        var both = StackTrainingSet.Concat([a, b]);
        Assert.Equal(5, both.Count);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8, 9, 10], both.Rows);
        Assert.Equal([1f, 0, 0, 0, 1], both.Labels);
        Assert.Equal([4u, 4, 9, 14, 14], both.Groups); // user 4 of the second set is a group of its own
        Assert.Throws<ArgumentException>(() => StackTrainingSet.Concat([a, b with { FeatureNames = ["x", "z"] }]));
        Assert.Throws<ArgumentException>(() => StackTrainingSet.Concat([]));
    }

    [Fact]
    public void MetaFeatures_NameAndKeepStatisticsByWhatTheValuesMean()
    {
        var ratings = TestData.Build(2, 3, (0, 0, 5), (0, 1, 3), (1, 2, 4));
        var popularity = new PopularityTrainer().Fit(ratings);
        Assert.Equal(["score_pop", "user_n_ratings", "user_mean_rating", "item_n_ratings", "item_mean_rating", "z_pop", "rank_pop"], new MetaFeatures([("pop", popularity)], ratings).Names);
        Assert.Equal(["score_pop", "user_n_ratings", "user_mean_rating", "item_n_ratings", "item_mean_rating"], new MetaFeatures([("pop", popularity)], ratings, perUser: false).Names);

        Interactions Implicit(float[] values) => new(ratings.UserMap, ratings.ItemMap, ratings.Users.ToArray(), ratings.Items.ToArray(), values, null, meaning: ValueMeaning.None);
        var counts = Implicit([2.3f, 0.7f, 1.1f]);
        Assert.Equal(["score_pop", "user_n_interactions", "user_mean_value", "item_n_interactions", "item_mean_value", "z_pop", "rank_pop"], new MetaFeatures([("pop", popularity)], counts).Names);

        var binary = Implicit([1f, 1f, 1f]);
        var features = new MetaFeatures([("pop", popularity)], binary);
        Assert.Equal(["score_pop", "user_n_interactions", "item_n_interactions", "z_pop", "rank_pop"], features.Names);
        var rows = new float[2 * features.Count];
        features.Build(0, [0, 2], rows);
        Assert.Equal([2f, 1f], [rows[1], rows[2]]); // user 0 has 2 interactions; item 0 has 1
        Assert.Equal([2f, 1f], [rows[features.Count + 1], rows[features.Count + 2]]);
    }

    [Fact]
    public void MetaRows_TakeTheirStatisticsFromTheBasePart_NeverFromTheLabelsTheyAreJudgedBy()
    {
        var data = TestData.WithTimestamps(TestData.Synthetic());
        var split = Splitter.ThreeWay(data, 42);
        var popularity = new PopularityTrainer().Fit(split.BaseTrain);
        var features = StackExperiment.MetaRowFeatures([("pop", popularity)], split.BaseTrain, split.TrainFull, new CandidateGenerator([("pop", popularity, 10)]));
        var scale = (float)split.TrainFull.Count / split.BaseTrain.Count;
        var (itemCount, width) = (features.Names.ToList().IndexOf("item_n_ratings"), features.Count);
        var baseTimes = TimeStatistics.Of(split.BaseTrain);
        var (baseItems, fullItems) = (split.BaseTrain.ByUser.Transpose(), split.TrainFull.ByUser.Transpose());
        var checkedPairs = 0;
        for (var u = 0; u < data.UserCount; u++)
        {
            var held = split.MetaTrain.ByUser.RowColumns(u).ToArray(); // labelled items: train_full counts them, the base part does not
            if (held.Length == 0)
            {
                continue;
            }

            var rows = new float[held.Length * width];
            features.Build(u, held, rows);
            var expected = new float[TimeStatistics.Count];
            for (var j = 0; j < held.Length; j++)
            {
                Assert.Equal(baseItems.RowLength(held[j]) * scale, rows[(j * width) + itemCount], 3);
                Assert.True(fullItems.RowLength(held[j]) > baseItems.RowLength(held[j]));
                baseTimes.Write(baseTimes.User(u), held[j], expected);
                Assert.Equal(expected, rows.AsSpan((j * width) + width - TimeStatistics.Count, TimeStatistics.Count).ToArray());
                checkedPairs++;
            }
        }

        Assert.True(checkedPairs > 50, $"only {checkedPairs} held-out pairs checked");
    }

    [Fact]
    public void MetaFeatures_ScaleTheCounts_NotTheMeans_WhenBuiltFromAPart()
    {
        var ratings = TestData.Build(2, 3, (0, 0, 5), (0, 1, 3), (1, 0, 4));
        var popularity = new PopularityTrainer().Fit(ratings);
        var scaled = new MetaFeatures([("pop", popularity)], ratings, perUser: false, countScale: 1.25);
        var rows = new float[scaled.Count];
        scaled.Build(0, [0], rows);
        Assert.Equal([2.5f, 4f, 2.5f, 4.5f], rows[1..]); // user 0: 2 ratings, mean 4; item 0: 2 ratings, mean 4.5
        Assert.Throws<ArgumentOutOfRangeException>(() => new PairStatistics(ratings.ByUser, true, countScale: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PairStatistics(ratings.ByUser, true, countScale: double.NaN));
    }

    [Fact]
    public void PerUserFeatures_StandardiseAndRankEachModelsScoresOverTheUsersCandidates()
    {
        // Three candidates, two models (columns 0 and 1), one statistic (column 2), derived columns from 3: z0 z1 r0 r1.
        const int Width = 7;
        float[] rows =
        [
            1f, 5f, 9f, 0, 0, 0, 0,
            3f, 5f, 9f, 0, 0, 0, 0,
            2f, 5f, 9f, 0, 0, 0, 0,
        ];
        PerUserFeatures.Write(rows, 3, Width, models: 2, offset: 3);
        var spread = MathF.Sqrt(2f / 3f);
        Assert.Equal([-1 / spread, 1 / spread, 0f], [rows[3], rows[Width + 3], rows[(2 * Width) + 3]], new FloatTolerance(1e-5f));
        Assert.Equal([0f, 0f, 0f], [rows[4], rows[Width + 4], rows[(2 * Width) + 4]]); // a constant score: no spread, all 0
        Assert.Equal([MathF.Log(3), 0f, MathF.Log(2)], [rows[5], rows[Width + 5], rows[(2 * Width) + 5]]); // item 1 first, item 0 last
        Assert.Equal([0f, MathF.Log(2), MathF.Log(3)], [rows[6], rows[Width + 6], rows[(2 * Width) + 6]]); // ties keep candidate order
        Assert.Equal(9f, rows[2]); // the raw columns are left as they were
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
