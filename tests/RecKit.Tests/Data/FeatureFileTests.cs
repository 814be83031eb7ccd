using System.Text;
using RecKit.Data;

namespace RecKit.Tests.Data;

public sealed class FeatureFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-features-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static readonly FeatureColumn[] Columns =
    [
        new() { Name = "country", Kind = FeatureKind.Categorical },
        new() { Name = "genres", Kind = FeatureKind.Multi },
        new() { Name = "price", Kind = FeatureKind.Numeric },
        new() { Name = "about", Kind = FeatureKind.Text, Weight = 2 },
    ];

    private static float Value(FeatureMatrix m, int row, string column) =>
        m.Values.Get(row, m.Columns.ToList().IndexOf(column));

    [Fact]
    public void Csv_EveryKind_WithQuotesAndMissingNumbers()
    {
        var path = Write("items.csv", "id,name,country,genres,price,about\n" +
            "a,\"Alpha, the first\",fr,Rock|Pop,10,loud loud guitar\n" +
            "b,Beta,de,Pop,,quiet piano\n" +
            "c,Gamma,fr,,30,guitar\n");
        var table = FeatureFile.Read(new FeatureFileOptions { Path = path, Display = "name", Columns = Columns });
        Assert.Equal(["a", "b", "c"], table.Ids);
        Assert.Equal("Alpha, the first", table.Display[0]);
        var m = table.Features;
        Assert.Equal(1f, Value(m, 0, "country=fr"));
        Assert.Equal(1f, Value(m, 1, "country=de"));
        Assert.Equal(1f, Value(m, 0, "genres=Rock"));
        Assert.Equal(1f, Value(m, 0, "genres=Pop"));
        Assert.Equal(0f, Value(m, 2, "genres=Pop"));

        // price 10 and 30: mean 20, deviation √200 → ±0.7071; b is missing: mean (no feature) and the indicator.
        Assert.Equal(-0.70710677f, Value(m, 0, "price"), 5);
        Assert.Equal(0.70710677f, Value(m, 2, "price"), 5);
        Assert.Equal(1f, Value(m, 1, "price:missing"));

        // Text: count × log(1 + rows / rows with the word), times the column weight 2.
        Assert.Equal((float)(2 * Math.Log(1 + 3.0 / 1) * 2), Value(m, 0, "about:loud"), 4);
        Assert.Equal((float)(1 * Math.Log(1 + 3.0 / 2) * 2), Value(m, 2, "about:guitar"), 4);
    }

    [Fact]
    public void TheEncoder_EncodesAFileRowAgainExactly_AndNamesValuesTheFileNeverHeld()
    {
        var path = Write("items.csv", "id,name,country,genres,price,about\n" +
            "a,Alpha,fr,Rock|Pop,10,loud loud guitar\n" +
            "b,Beta,de,Pop,,quiet piano\n" +
            "c,Gamma,fr,,30,guitar\n");
        var table = FeatureFile.Read(new FeatureFileOptions { Path = path, Columns = Columns });
        var schema = FeatureSchema.Of(table.Encoder, table.Features)!;
        string?[][] fields = [["fr", "Rock|Pop", "10", "loud loud guitar"], ["de", "Pop", "", "quiet piano"], ["fr", "", "30", "guitar"]];
        for (var r = 0; r < 3; r++)
        {
            var row = fields[r];
            var (columns, values, unknown) = schema.Encode(name => row[Array.FindIndex(Columns, c => c.Name == name)]);
            Assert.Equal(table.Features.Values.RowColumns(r).ToArray().Order(), columns);
            Assert.Equal(columns.Select(c => table.Features.Values.Get(r, c)), values);
            Assert.Empty(unknown);
        }

        // A new item: a known country, a new genre, a price and one known word among new ones.
        var (cols, vals, missing) = schema.Encode(name => name switch { "country" => "de", "genres" => "Jazz\u001FPop", "price" => "20", _ => "guitar solo" });
        Assert.Equal(["genres=Jazz"], missing);
        Assert.Equal(["about:guitar", "country=de", "genres=Pop"], cols.Select(c => schema.Columns[c]).Order());
        Assert.DoesNotContain(cols, c => schema.Columns[c] == "price"); // 20 is the mean: a standardised 0
        Assert.Throws<FormatException>(() => schema.Encode(name => name == "price" ? "cheap" : null));
    }

    [Fact]
    public void JsonLines_ReadTheSameFeatures_ArraysAsMultiValues()
    {
        var path = Write("items.jsonl", """
            {"id": "a", "name": "Alpha", "country": "fr", "genres": ["Rock", "Pop"], "price": 10, "about": "loud"}
            {"id": 7, "name": "Beta", "country": null, "genres": "Pop", "price": null}

            """);
        var table = FeatureFile.Read(new FeatureFileOptions { Path = path, Display = "name", Columns = Columns });
        Assert.Equal(["a", "7"], table.Ids);
        Assert.Equal(1f, Value(table.Features, 0, "genres=Rock"));
        Assert.Equal(1f, Value(table.Features, 1, "genres=Pop"));
        Assert.Equal(1f, Value(table.Features, 1, "price:missing"));
        Assert.Equal(0f, Value(table.Features, 1, "country=fr"));
    }

    [Theory]
    [InlineData("id,price\na,12\nb,cheap\n", 3, "price", "expected a number")]
    [InlineData("id,price\na,12\na,13\n", 3, "id", "already listed on line 2")]
    [InlineData("id,price\na,12,7\n", 2, null, "expected 2 fields")]
    [InlineData("id,price\n,12\n", 2, "id", "the id is empty")]
    [InlineData("key,price\na,1\n", 1, "id", "no column named 'id'")]
    public void BadLines_StopWithFileLineAndField(string text, long line, string? field, string message)
    {
        var path = Write("bad.csv", text);
        var error = Assert.Throws<DataFormatException>(() => FeatureFile.Read(new FeatureFileOptions { Path = path, Columns = [new() { Name = "price", Kind = FeatureKind.Numeric }] }));
        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Align_AddsIdsWithoutInteractionsAsColdRows_OrCountsThem()
    {
        var path = Write("items.csv", "id,country\nx,fr\ny,de\nz,it\n");
        var table = FeatureFile.Read(new FeatureFileOptions { Path = path, Columns = [new() { Name = "country" }] });
        var map = IdMap.FromIds(["y", "w"]);
        var (kept, _, missing) = FeatureFile.Align(table, map, extend: false);
        Assert.Equal(2, missing);
        Assert.Equal(2, kept.RowCount);
        Assert.Equal(1f, Value(kept, 0, "country=de"));
        Assert.Equal(0, kept.Values.RowLength(1)); // w has no features

        var (extended, _, added) = FeatureFile.Align(table, map, extend: true);
        Assert.Equal(2, added);
        Assert.Equal(["y", "w", "x", "z"], map.Ids);
        Assert.Equal(1f, Value(extended, 2, "country=fr"));
        Assert.Equal(1f, Value(extended, 3, "country=it"));
    }
}
