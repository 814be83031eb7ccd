using System.Text;
using FsCheck;
using FsCheck.Fluent;
using RecKit.Data;

namespace RecKit.Tests.Properties;

/// <summary>
/// Random input never produces anything but a loaded result or the documented one-line error naming the file, and
/// never a silent success on garbage: a file whose every line is valid loads, a file with one invalid line does not.
/// </summary>
public sealed class ReaderProperties : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-props-").FullName;
    private int _files;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>150 cases a property; a failure prints FsCheck's replay seed and the shrunk input.</summary>
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(150);

    private string WriteBytes(byte[] bytes)
    {
        var path = Path.Combine(_dir, $"f{Interlocked.Increment(ref _files)}.csv");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static readonly DelimitedReaderOptions Options = new() { Timestamp = ColumnRef.ByPosition(3) };

    /// <summary>Either a result, or a DataFormatException: one line, naming the file. Anything else fails.</summary>
    private static LoadResult? ReadOrExplain(Func<LoadResult> read, string path)
    {
        try
        {
            return read();
        }
        catch (DataFormatException ex)
        {
            Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', ex.Message);
            return null;
        }
    }

    /// <summary>Bytes drawn mostly from the characters delimited files are made of, with any byte now and then.</summary>
    private static Gen<byte[]> Bytes() =>
        Gen.Frequency(
            (6, Gen.Elements("0123456789,,,\n\n\r\".-e+ aZ\t".Select(c => (byte)c).ToArray())),
            (1, Gen.Choose(0, 255).Select(b => (byte)b)))
        .ArrayOf();

    [Fact]
    public void RandomBytes_LoadOrFailWithTheDocumentedError_AndBothReadersAgree()
    {
        Prop.ForAll(Bytes().ToArbitrary(), bytes =>
        {
            var path = WriteBytes(bytes);
            var fast = ReadOrExplain(() => Utf8InteractionReader.Read(path, Options), path);
            var line = ReadOrExplain(() => TextLineInteractionReader.Read(path, Options), path);
            Assert.Equal(fast is null, line is null);
            if (fast is not null)
            {
                Assert.Equal(line!.Interactions.Count, fast.Interactions.Count);
                Assert.All(fast.Interactions.Values.ToArray(), v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= RatingScale.UndeclaredLimit));
            }
        }).Check(Runs);
    }

    /// <summary>A field that is valid where it stands (id, rating, timestamp) or not, and which one it is.</summary>
    private static Gen<(string Text, bool Valid)> Field(int column) => column switch
    {
        0 or 1 => Gen.Frequency(
            (8, Gen.Choose(0, 500).Select(i => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), true))),
            (1, Gen.Elements(("\"a,b\"", true), ("\"x\"\"y\"", true), ("", false), ("\"open", false)))),
        2 => Gen.Frequency(
            (8, Gen.Choose(-20, 100).Select(i => ((i / 2.0).ToString(System.Globalization.CultureInfo.InvariantCulture), true))),
            (1, Gen.Elements(("1e30", false), ("NaN", false), ("abc", false), ("", false), ("-5000", false), ("\"4.5\"", true)))),
        _ => Gen.Frequency(
            (8, Gen.Choose(0, int.MaxValue).Select(i => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), true))),
            (1, Gen.Elements(("1.5", false), ("x", false), ("", false)))),
    };

    private static Gen<(string Text, bool Valid)> Line() =>
        Gen.Frequency(
            (12, from user in Field(0)
                 from item in Field(1)
                 from rating in Field(2)
                 from time in Field(3)
                 select ($"{user.Text},{item.Text},{rating.Text},{time.Text}", user.Valid && item.Valid && rating.Valid && time.Valid)),
            (1, Gen.Elements(("1,2", false), ("1,2,3", false), ("", true))));

    [Fact]
    public void RandomFields_LoadExactlyWhenEveryLineIsValid()
    {
        Prop.ForAll(Line().NonEmptyListOf().ToArbitrary(), lines =>
        {
            var path = WriteBytes(Encoding.UTF8.GetBytes("user,item,rating,ts\n" + string.Join("\n", lines.Select(l => l.Text)) + "\n"));
            var anyData = lines.Any(l => l.Text.Length > 0);
            var valid = lines.All(l => l.Valid);
            var fast = ReadOrExplain(() => Utf8InteractionReader.Read(path, Options), path);
            var line = ReadOrExplain(() => TextLineInteractionReader.Read(path, Options), path);
            Assert.Equal(valid && anyData, fast is not null);
            Assert.Equal(valid && anyData, line is not null);
        }).Check(Runs);
    }

    [Fact]
    public void WithSkipBadLines_EveryLineIsKeptOrCounted()
    {
        Prop.ForAll(Line().NonEmptyListOf().ToArbitrary(), lines =>
        {
            var path = WriteBytes(Encoding.UTF8.GetBytes("user,item,rating,ts\n" + string.Join("\n", lines.Select(l => l.Text)) + "\n"));
            var result = ReadOrExplain(() => Utf8InteractionReader.Read(path, Options with { SkipBadLines = true, Duplicates = DuplicatePolicy.SumWeights }), path);
            var rows = lines.Count(l => l.Text.Length > 0);
            var good = lines.Count(l => l.Text.Length > 0 && l.Valid);
            if (result is null)
            {
                Assert.Equal(0, good); // only an all-bad (or empty) file may fail
                return;
            }

            Assert.Equal(rows, result.Summary.RowsRead);
            Assert.Equal(rows - good, result.Summary.BadLinesSkipped);
            Assert.Equal(good, result.Interactions.Count + result.Summary.DuplicatesMerged);
        }).Check(Runs);
    }

    [Fact]
    public void RandomFeatureFiles_LoadOrFailWithTheDocumentedError()
    {
        FeatureColumn[] columns =
        [
            new() { Name = "kind", Kind = FeatureKind.Categorical },
            new() { Name = "tags", Kind = FeatureKind.Multi },
            new() { Name = "price", Kind = FeatureKind.Numeric },
            new() { Name = "about", Kind = FeatureKind.Text },
        ];
        var body = Gen.Elements("0123456789,,,|\n\n\".-e aZ{}[]:".Select(c => (byte)c).ToArray()).ArrayOf();
        Prop.ForAll(body.ToArbitrary(), Gen.Elements(".csv", ".jsonl").ToArbitrary(), (bytes, extension) =>
        {
            var header = extension == ".csv" ? "id,kind,tags,price,about\n"u8.ToArray() : [];
            var path = WriteBytes([.. header, .. bytes]) + extension;
            File.Move(path[..^extension.Length], path);
            try
            {
                var table = FeatureFile.Read(new FeatureFileOptions { Path = path, Columns = columns });
                Assert.Equal(table.Ids.Count, table.Features.RowCount);
                Assert.All(table.Features.Values.Values.ToArray(), v => Assert.True(float.IsFinite(v)));
            }
            catch (DataFormatException ex)
            {
                Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', ex.Message);
            }
        }).Check(Runs);
    }
}
