using RecKit.Data;
using RecKit.Data.Splits;

namespace RecKit.Tests.Data;

public class SplitterTests
{
    private static readonly Lazy<Interactions> Ratings = new(() => MovieLens.LoadLatestRatings(TestData.LatestSmall).Interactions);

    private static HashSet<(int, int)> Pairs(Interactions part)
    {
        var set = new HashSet<(int, int)>();
        for (var k = 0; k < part.Count; k++)
        {
            set.Add((part.Users[k], part.Items[k]));
        }

        return set;
    }

    private static void AssertPartition(Interactions data, Split split)
    {
        Assert.Equal(data.Count, split.Train.Count + split.Test.Count);
        var train = Pairs(split.Train);
        var test = Pairs(split.Test);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(Pairs(data), train.Union(test).ToHashSet());
        Assert.Same(data.UserMap, split.Train.UserMap);
        Assert.Same(data.ItemMap, split.Test.ItemMap);
    }

    public static TheoryData<string> Methods => ["random", "per-user", "per-item", "kfold", "temporal", "last-n", "leave-one-out"];

    private static Split Make(string method, Interactions data, int seed) => method switch
    {
        "random" => Splitter.Random(data, 0.2, seed),
        "per-user" => Splitter.PerUser(data, 0.2, seed),
        "per-item" => Splitter.PerItem(data, 0.25, seed),
        "kfold" => Splitter.KFold(data, 5, seed)[2],
        "temporal" => Splitter.TemporalGlobal(data, 0.2),
        "last-n" => Splitter.LastPerUser(data, 3),
        "leave-one-out" => Splitter.LeaveOneOut(data, seed),
        _ => throw new ArgumentException(method),
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void Split_PartitionsTheInput_AndIsDeterministic(string method)
    {
        var data = Ratings.Value;
        var a = Make(method, data, 7);
        var b = Make(method, data, 7);
        AssertPartition(data, a);
        Assert.Equal(a.Test.Users.ToArray(), b.Test.Users.ToArray());
        Assert.Equal(a.Test.Items.ToArray(), b.Test.Items.ToArray());
    }

    [Theory]
    [InlineData("random")]
    [InlineData("per-user")]
    [InlineData("per-item")]
    [InlineData("kfold")]
    public void SeededSplit_ChangesWithTheSeed(string method)
    {
        var data = Ratings.Value;
        Assert.NotEqual(Pairs(Make(method, data, 1).Test), Pairs(Make(method, data, 2).Test));
    }

    [Fact]
    public void PerUser_HoldsTheFractionWithinEveryUser()
    {
        var data = Ratings.Value;
        var split = Splitter.PerUser(data, 0.2, 3);
        var total = data.CountPerUser();
        var test = split.Test.CountPerUser();
        for (var u = 0; u < total.Length; u++)
        {
            Assert.Equal((int)Math.Round(total[u] * 0.2, MidpointRounding.AwayFromZero), test[u]);
        }
    }

    [Fact]
    public void PerItem_HoldsTheFractionWithinEveryItem()
    {
        var data = Ratings.Value;
        var split = Splitter.PerItem(data, 0.25, 3);
        var total = data.CountPerItem();
        var test = split.Test.CountPerItem();
        for (var i = 0; i < total.Length; i++)
        {
            Assert.Equal((int)Math.Round(total[i] * 0.25, MidpointRounding.AwayFromZero), test[i]);
        }
    }

    [Fact]
    public void KFold_TestPartsCoverEveryInteractionOnce()
    {
        var data = Ratings.Value;
        var folds = Splitter.KFold(data, 5, 11);
        var seen = new HashSet<(int, int)>();
        foreach (var fold in folds)
        {
            foreach (var pair in Pairs(fold.Test))
            {
                Assert.True(seen.Add(pair));
            }
        }

        Assert.Equal(data.Count, seen.Count);
    }

    [Fact]
    public void Temporal_TrainHasNothingLaterThanTest()
    {
        var split = Splitter.TemporalGlobal(Ratings.Value, 0.2);
        Assert.True(split.Train.Timestamps.ToArray().Max() < split.Test.Timestamps.ToArray().Min());
        Assert.InRange(split.Test.Count, 0.19 * Ratings.Value.Count, 0.21 * Ratings.Value.Count);
    }

    [Fact]
    public void LastPerUser_TakesTheLatestAndKeepsOneInTrain()
    {
        // User 0: times 5, 1, 9, 3 → last two are t=9 and t=5. User 1 has one interaction: it stays in train.
        var map = IdMap.FromIds(["a", "b"]);
        var items = IdMap.FromIds(["x", "y", "z", "w"]);
        var data = new Interactions(map, items, [0, 0, 0, 0, 1], [0, 1, 2, 3, 0], [1, 1, 1, 1, 1], [5, 1, 9, 3, 4], meaning: ValueMeaning.None);
        var split = Splitter.LastPerUser(data, 2);
        Assert.Equal([0, 2], split.Test.Items.ToArray().Order());
        Assert.Equal(3, split.Train.Count);
        Assert.Equal(1, split.Train.CountPerUser()[1]);
        var loo = Splitter.LeaveOneOut(data, 1);
        Assert.Equal([2], loo.Test.Items.ToArray());
    }

    [Fact]
    public void LeaveOneOut_WithoutTimestamps_LeavesOnePerUserWithTwoOrMore()
    {
        var data = TestData.Build(3, 4, (0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 3, 1), (2, 0, 1), (2, 1, 1));
        var split = Splitter.LeaveOneOut(data, 5);
        Assert.Equal([1, 0, 1], split.Test.CountPerUser());
    }

    [Fact]
    public void ThreeWay_NestsBaseAndMetaInsideTrainFull()
    {
        var data = Ratings.Value;
        var three = Splitter.ThreeWay(data, 42);
        Assert.Equal(data.Count, three.TrainFull.Count + three.Test.Count);
        Assert.Equal(three.TrainFull.Count, three.BaseTrain.Count + three.MetaTrain.Count);
        Assert.Equal(Pairs(three.TrainFull), Pairs(three.BaseTrain).Union(Pairs(three.MetaTrain)).ToHashSet());
        Assert.InRange(three.Test.Count, 0.19 * data.Count, 0.21 * data.Count);
        Assert.InRange(three.MetaTrain.Count, 0.19 * three.TrainFull.Count, 0.21 * three.TrainFull.Count);
    }

    [Fact]
    public void ColdStart_UsersAndItemsOnlyInTestAreKeptAndCounted()
    {
        // User 2 and item 3 appear only in the test part.
        var data = TestData.Build(3, 4, (0, 0, 5), (0, 1, 4), (1, 0, 3), (1, 2, 2), (2, 1, 5), (0, 3, 4));
        var split = Splitter.Partition(data, [false, false, false, false, true, true]);
        Assert.Equal(1, split.ColdStartUsers);
        Assert.Equal(1, split.ColdStartItems);
        Assert.Equal(2, split.Test.Count);
    }

    [Fact]
    public void Writer_WritesPartsThatReadBackIdentically()
    {
        var dir = Directory.CreateTempSubdirectory("reckit-split-").FullName;
        try
        {
            var data = Ratings.Value;
            var split = Splitter.PerUser(data, 0.2, 1);
            var paths = SplitWriter.WriteAll(dir, [split]);
            var options = new DelimitedReaderOptions { User = ColumnRef.ByName("user"), Item = ColumnRef.ByName("item"), Rating = ColumnRef.ByName("rating"), Timestamp = ColumnRef.ByName("timestamp") };
            var test = DelimitedInteractionReader.Read(paths[1], options).Interactions;
            Assert.Equal(split.Test.Count, test.Count);
            for (var k = 0; k < test.Count; k++)
            {
                Assert.Equal(split.Test.UserMap[split.Test.Users[k]], test.UserMap[test.Users[k]]);
                Assert.Equal(split.Test.ItemMap[split.Test.Items[k]], test.ItemMap[test.Items[k]]);
                Assert.Equal(split.Test.Values[k], test.Values[k]);
                Assert.Equal(split.Test.Timestamps[k], test.Timestamps[k]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HoldOut_TakesEveryInteractionOfASeededShare(bool items)
    {
        var data = TestData.Synthetic();
        var (split, held) = Splitter.HoldOut(data, items, 0.25, seed: 3);
        var owners = items ? data.CountPerItem() : data.CountPerUser();
        Assert.Equal((int)Math.Round(owners.Count(c => c > 0) * 0.25), held.Count);
        Assert.All(held, h => Assert.True(owners[h] > 0));
        var trainOwners = items ? split.Train.Items.ToArray() : split.Train.Users.ToArray();
        var testOwners = items ? split.Test.Items.ToArray() : split.Test.Users.ToArray();
        Assert.DoesNotContain(trainOwners, held.Contains);
        Assert.All(testOwners, o => Assert.Contains(o, held));
        Assert.Equal(data.Count, split.Train.Count + split.Test.Count);
        Assert.Equal(held, Splitter.HoldOut(data, items, 0.25, seed: 3).HeldOut);
    }

    [Fact]
    public void ItemShuffle_KeepsEveryPairAndEachItemsFeatures()
    {
        var data = TestData.Synthetic();
        var features = ContentModelTestsFeatures(data.ItemCount);
        var (shuffled, moved) = ItemShuffle.Apply(data, features, seed: 5);
        Assert.NotEqual(data.ItemMap.Ids, shuffled.ItemMap.Ids);
        var before = Enumerable.Range(0, data.Count).Select(p => (data.UserMap[data.Users[p]], data.ItemMap[data.Items[p]], data.Values[p])).ToHashSet();
        var after = Enumerable.Range(0, shuffled.Count).Select(p => (shuffled.UserMap[shuffled.Users[p]], shuffled.ItemMap[shuffled.Items[p]], shuffled.Values[p])).ToHashSet();
        Assert.Equal(before, after);
        for (var j = 0; j < shuffled.ItemCount; j++)
        {
            var old = data.ItemMap.GetIndex(shuffled.ItemMap[j]);
            Assert.Equal(features.RowColumns(old).ToArray(), moved.RowColumns(j).ToArray());
            Assert.Equal(features.RowValues(old).ToArray(), moved.RowValues(j).ToArray());
        }
    }

    private static CsrMatrix ContentModelTestsFeatures(int items) => RecKit.Tests.Models.ContentModelTests.Features(items);
}
