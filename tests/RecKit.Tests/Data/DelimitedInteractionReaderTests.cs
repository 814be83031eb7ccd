using System.Text;
using RecKit.Data;

namespace RecKit.Tests.Data;

public sealed class DelimitedInteractionReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static readonly DelimitedReaderOptions Named = new()
    {
        User = ColumnRef.ByName("user"),
        Item = ColumnRef.ByName("item"),
        Rating = ColumnRef.ByName("rating"),
        Timestamp = ColumnRef.ByName("ts"),
    };

    private static void AssertSame(LoadResult expected, LoadResult actual)
    {
        var a = expected.Interactions;
        var b = actual.Interactions;
        Assert.Equal(a.UserMap.Ids, b.UserMap.Ids);
        Assert.Equal(a.ItemMap.Ids, b.ItemMap.Ids);
        Assert.Equal(a.Users.ToArray(), b.Users.ToArray());
        Assert.Equal(a.Items.ToArray(), b.Items.ToArray());
        Assert.Equal(a.Values.ToArray(), b.Values.ToArray());
        Assert.Equal(a.Timestamps.ToArray(), b.Timestamps.ToArray());
        Assert.Equal(expected.Summary.RowsRead, actual.Summary.RowsRead);
        Assert.Equal(expected.Summary.DuplicatesMerged, actual.Summary.DuplicatesMerged);
        Assert.Equal(expected.Summary.BadLinesSkipped, actual.Summary.BadLinesSkipped);
        Assert.Equal(expected.Summary.BadLineExamples, actual.Summary.BadLineExamples);
    }

    [Theory]
    [InlineData(",", "\n", true, 1)]
    [InlineData("\t", "\r\n", false, 2)]
    [InlineData("::", "\n", false, 3)]
    [InlineData("|", "\r\n", true, 4)]
    public void FastReader_AgreesWithLineReader_OnRandomFiles(string delimiter, string newline, bool trailingNewline, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("user" + delimiter + "item" + delimiter + "rating" + delimiter + "ts" + newline);
        for (var r = 0; r < 3000; r++)
        {
            if (random.Next(50) == 0)
            {
                text.Append(newline); // blank lines are skipped
            }

            // Ids: plain integers, leading zeros (distinct ids), text ids, large numbers.
            var user = random.Next(4) switch { 0 => random.Next(200).ToString(), 1 => "0" + random.Next(20), 2 => "u" + random.Next(50), _ => (1L << 40) + random.Next(30) + string.Empty };
            var item = random.Next(3) == 0 ? "item-" + random.Next(100) : random.Next(3000).ToString();
            var rating = random.Next(5) switch { 0 => (random.Next(1, 11) / 2.0).ToString("0.0"), 1 => random.Next(1, 6).ToString(), 2 => (random.NextDouble() * 100).ToString("R"), 3 => "1e2", _ => "-" + random.Next(3) + ".25" };
            text.Append(user).Append(delimiter).Append(item).Append(delimiter).Append(rating).Append(delimiter).Append(1_500_000_000 + random.Next(1_000_000));
            if (r < 2999 || trailingNewline)
            {
                text.Append(newline);
            }
        }

        var path = Write("random.txt", text.ToString());
        foreach (var policy in Enum.GetValues<DuplicatePolicy>())
        {
            var options = Named with { Delimiter = delimiter, Duplicates = policy };
            AssertSame(TextLineInteractionReader.Read(path, options), Utf8InteractionReader.Read(path, options));
        }
    }

    [Fact]
    public void FastReader_AgreesWithLineReader_WhenSkippingBadLines()
    {
        var path = Write("bad.csv", "user,item,rating,ts\n1,2,3,4\n1,,3,4\n2,3,NaN,5\n2,4,x,5\n3\n4,5,2.5,zz\n5,6,1,7\n");
        var options = Named with { SkipBadLines = true };
        var fast = Utf8InteractionReader.Read(path, options);
        AssertSame(TextLineInteractionReader.Read(path, options), fast);
        Assert.Equal(5, fast.Summary.BadLinesSkipped);
        Assert.Equal(2, fast.Interactions.Count);
        Assert.Contains(":3: field 'item'", fast.Summary.BadLineExamples[0]);
    }

    [Fact]
    public void LoneCarriageReturn_IsPartOfTheLine_InBothReaders()
    {
        // Found by the random-bytes property: the line reader ended lines at a lone CR, the fast reader only at LF.
        var path = Write("cr.csv", "user,item,rating,ts\n1\r9,2,3,4\n5,6,1,7\r\n");
        var fast = Utf8InteractionReader.Read(path, Named);
        AssertSame(TextLineInteractionReader.Read(path, Named), fast);
        Assert.Equal(2, fast.Interactions.Count);
        Assert.Equal("1\r9", fast.Interactions.UserMap[0]);
    }

    [Theory]
    [InlineData("1,,3,4", "item", "empty")]
    [InlineData(",2,3,4", "user", "empty")]
    [InlineData("1,2,abc,4", "rating", "finite number")]
    [InlineData("1,2,NaN,4", "rating", "finite number")]
    [InlineData("1,2,Infinity,4", "rating", "finite number")]
    [InlineData("1,2,3,yesterday", "timestamp", "integer")]
    [InlineData("1,2", "", "fields")]
    public void MalformedLine_StopsWithFileLineAndField(string row, string field, string expected)
    {
        var path = Write("one.csv", "user,item,rating,ts\n" + row + "\n");
        var ex = Assert.Throws<DataFormatException>(() => DelimitedInteractionReader.Read(path, Named));
        Assert.Contains(path + ":2", ex.Message);
        Assert.Equal(2, ex.Line);
        Assert.Contains(expected, ex.Message);
        if (field.Length > 0)
        {
            Assert.Equal(field, ex.Field);
        }

    }

    [Fact]
    public void LaterMalformedLine_NamesItsLineNumber()
    {
        var path = Write("later.csv", "user,item,rating,ts\n1,2,3,4\n\n1,3,3,4\n1,4,bad,4\n");
        var ex = Assert.Throws<DataFormatException>(() => DelimitedInteractionReader.Read(path, Named));
        Assert.Equal(5, ex.Line);
        Assert.Equal("rating", ex.Field);
    }

    [Fact]
    public void EmptyHeaderOnlyMissingAndWrongDelimiter_GiveOneLineMessages()
    {
        var empty = Write("empty.csv", string.Empty);
        var header = Write("header.csv", "user,item,rating,ts\r\n");
        var tabs = Write("tabs.csv", "user\titem\trating\tts\n1\t2\t3\t4\n");
        var noHeaderTabs = Write("tabs2.csv", "1\t2\t3\t4\n");
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => DelimitedInteractionReader.Read(empty, Named)).Message);
        Assert.Contains("no data lines", Assert.Throws<DataFormatException>(() => DelimitedInteractionReader.Read(header, Named)).Message);
        Assert.Contains("not found", Assert.Throws<DataFormatException>(() => DelimitedInteractionReader.Read(Path.Combine(_dir, "nope.csv"), Named)).Message);
        Assert.Contains("delimiter", Assert.Throws<DataFormatException>(() => DelimitedInteractionReader.Read(tabs, Named)).Message);
        Assert.Contains("delimiter", Assert.Throws<DataFormatException>(() => DelimitedInteractionReader.Read(noHeaderTabs, new DelimitedReaderOptions { HasHeader = false })).Message);
        foreach (var message in new[] { empty, header, tabs }.Select(p => Record.Exception(() => DelimitedInteractionReader.Read(p, Named))!.Message))
        {
            Assert.DoesNotContain('\n', message);
        }
    }

    [Fact]
    public void UnknownColumnName_ListsTheHeader()
    {
        var path = Write("cols.csv", "a,b,c\n1,2,3\n");
        var ex = Assert.Throws<DataFormatException>(() => DelimitedInteractionReader.Read(path, Named));
        Assert.Contains("no column named 'user'", ex.Message);
        Assert.Contains("a, b, c", ex.Message);
    }

    [Fact]
    public void DuplicatePolicies_KeepFirstKeepLastOrSum()
    {
        var path = Write("dups.csv", "user,item,rating,ts\n1,a,1,10\n2,a,5,11\n1,a,3,12\n1,b,2,13\n1,a,4,9\n");
        LoadResult Load(DuplicatePolicy p) => DelimitedInteractionReader.Read(path, Named with { Duplicates = p });
        var first = Load(DuplicatePolicy.KeepFirst);
        var last = Load(DuplicatePolicy.KeepLast);
        var sum = Load(DuplicatePolicy.SumWeights);
        Assert.Equal(2, first.Summary.DuplicatesMerged);
        float Value(LoadResult r, string user, string item)
        {
            var i = r.Interactions;
            for (var k = 0; k < i.Count; k++)
            {
                if (i.UserMap[i.Users[k]] == user && i.ItemMap[i.Items[k]] == item)
                {
                    return i.Values[k];
                }
            }

            throw new KeyNotFoundException();
        }

        Assert.Equal(1f, Value(first, "1", "a"));
        Assert.Equal(4f, Value(last, "1", "a"));
        Assert.Equal(8f, Value(sum, "1", "a"));
        Assert.Equal(12, sum.Interactions.Timestamps[0]); // the latest of 10, 12, 9
        Assert.Equal(3, last.Interactions.Count);
    }

    [Fact]
    public void ByteOrderMark_IsIgnored()
    {
        var path = Path.Combine(_dir, "bom.csv");
        File.WriteAllText(path, "user,item,rating,ts\n1,2,3,4\n", new UTF8Encoding(true));
        Assert.Equal("1", DelimitedInteractionReader.Read(path, Named).Interactions.UserMap[0]);
    }

    [Fact]
    public void Latin1File_ReadsThroughTheTextPath()
    {
        var path = Path.Combine(_dir, "latin1.csv");
        File.WriteAllBytes(path, [.. "user,item,rating,ts\n"u8, (byte)'r', 0xE9, (byte)'m', .. ",i,3,4\n"u8]);
        var result = DelimitedInteractionReader.Read(path, Named with { Encoding = Encoding.Latin1 });
        Assert.Equal("rém", result.Interactions.UserMap[0]);
    }

    [Fact]
    public void ImplicitData_WithoutRatingColumn_HasValueOne()
    {
        var path = Write("implicit.csv", "1,2\n1,3\n");
        var result = DelimitedInteractionReader.Read(path, new DelimitedReaderOptions { HasHeader = false, Rating = null });
        Assert.False(result.Interactions.HasRatings);
        Assert.All(result.Interactions.Values.ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void LatestSmall_LoadsTheDocumentedCounts()
    {
        var result = MovieLens.LoadLatestRatings(TestData.LatestSmall);
        Assert.Equal(100836, result.Summary.RowsRead);
        Assert.Equal(610, result.Interactions.UserCount);
        Assert.Equal(9724, result.Interactions.ItemCount);
        Assert.Equal(0, result.Summary.DuplicatesMerged);
    }
    public static TheoryData<string> Readers => ["fast", "line"];

    private static LoadResult ReadWith(string reader, string path, DelimitedReaderOptions options) =>
        reader == "fast" ? Utf8InteractionReader.Read(path, options) : TextLineInteractionReader.Read(path, options);

    [Theory]
    [MemberData(nameof(Readers))]
    public void QuotedFields_FollowRfc4180(string reader)
    {
        var path = Write("quoted.csv", "user,item,rating,ts\n\"a,b\",10,4.0,100\n\"say \"\"hi\"\"\",\"20\",\"3.5\",200\nc,30,2,300\n");
        var data = ReadWith(reader, path, Named).Interactions;
        Assert.Equal(["a,b", "say \"hi\"", "c"], data.UserMap.Ids);
        Assert.Equal(["10", "20", "30"], data.ItemMap.Ids);
        Assert.Equal([4f, 3.5f, 2f], data.Values.ToArray());
        Assert.Equal([100L, 200, 300], data.Timestamps.ToArray());
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void QuotedHeaderNames_AreFound(string reader)
    {
        var path = Write("quoted-header.csv", "\"user\",\"item, id\",rating,ts\n1,2,3,4\n");
        var data = ReadWith(reader, path, Named with { Item = ColumnRef.ByName("item, id") }).Interactions;
        Assert.Equal(["2"], data.ItemMap.Ids);
    }

    [Theory]
    [InlineData("fast", "user,item,rating,ts\n1,\"unclosed,4,100\n", "quoting")]
    [InlineData("line", "user,item,rating,ts\n1,\"unclosed,4,100\n", "quoting")]
    [InlineData("fast", "user,item,rating,ts\n1,\"x\"y,4,100\n", "quoting")]
    [InlineData("line", "user,item,rating,ts\n1,\"x\"y,4,100\n", "quoting")]
    public void BadQuoting_StopsWithFileLineAndField(string reader, string text, string field)
    {
        var path = Write("bad-quote.csv", text);
        var error = Assert.Throws<DataFormatException>(() => ReadWith(reader, path, Named));
        Assert.Equal(2, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fast", "1e30")]
    [InlineData("line", "1e30")]
    [InlineData("fast", "-5000")]
    [InlineData("line", "-5000")]
    public void ImplausibleRating_WithoutDeclaredScale_IsRefused(string reader, string rating)
    {
        var path = Write("huge.csv", $"user,item,rating,ts\n1,1,4,1\n1,2,{rating},2\n");
        var error = Assert.Throws<DataFormatException>(() => ReadWith(reader, path, Named));
        Assert.Equal(3, error.Line);
        Assert.Equal("rating", error.Field);
        Assert.Contains("ratingScale", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void RatingOutsideDeclaredScale_IsRefused(string reader)
    {
        var path = Write("scale.csv", "user,item,rating,ts\n1,1,4,1\n1,2,6,2\n");
        var error = Assert.Throws<DataFormatException>(() => ReadWith(reader, path, Named with { Scale = new RatingScale(1, 5) }));
        Assert.Equal(3, error.Line);
        Assert.Contains("outside the declared rating scale 1..5", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, ReadWith(reader, path, Named with { Scale = new RatingScale(1, 10) }).Interactions.Count);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void NegativeCount_IsRefused_LargeCountIsNot(string reader)
    {
        var path = Write("counts.csv", "user,item,rating,ts\n1,1,250000,1\n1,2,-3,2\n");
        var error = Assert.Throws<DataFormatException>(() => ReadWith(reader, path, Named with { Values = ValueMeaning.Counts }));
        Assert.Equal(3, error.Line);
        Assert.Contains("zero or more", error.Message, StringComparison.Ordinal);
        var ok = Write("counts-ok.csv", "user,item,rating,ts\n1,1,250000,1\n1,2,0,2\n");
        Assert.Equal([250000f, 0f], ReadWith(reader, ok, Named with { Values = ValueMeaning.Counts }).Interactions.Values.ToArray());
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void TheInteractions_SayWhatTheirValuesMean(string reader)
    {
        // Counts read from a value column are counts, not ratings (they were flagged as ratings, and relevance then
        // applied a rating threshold to play counts).
        var path = Write("meaning.csv", "user,item,rating,ts\n1,1,3,1\n1,2,5,2\n");
        Assert.Equal(ValueMeaning.Ratings, ReadWith(reader, path, Named).Interactions.Meaning);
        var counts = ReadWith(reader, path, Named with { Values = ValueMeaning.Counts }).Interactions;
        Assert.Equal(ValueMeaning.Counts, counts.Meaning);
        Assert.False(counts.HasRatings);
        Assert.Equal(ValueMeaning.None, ReadWith(reader, path, Named with { Rating = null }).Interactions.Meaning);
    }

    [Fact]
    public void ScaleOnCounts_IsAnOptionError()
    {
        var path = Write("any.csv", "user,item,rating,ts\n1,1,1,1\n");
        Assert.Throws<ArgumentException>(() => DelimitedInteractionReader.Read(path, Named with { Values = ValueMeaning.Counts, Scale = new RatingScale(1, 5) }));
    }
}
