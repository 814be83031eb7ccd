using RecKit.Models;
using RecKit.Persistence;

namespace RecKit.Tests.Persistence;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reckit-modelfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SaveBias(Dictionary<string, string>? metadata = null)
    {
        var data = TestData.Build(3, 4, (0, 0, 5), (1, 1, 3), (2, 3, 1), (0, 2, 4));
        var path = Path.Combine(_dir, "bias.model");
        ModelFile.Save(path, new BiasTrainer().Fit(data), data.UserMap, data.ItemMap, metadata);
        return path;
    }

    [Fact]
    public void SaveLoad_RoundTripsModelMapsAndMetadata()
    {
        var path = SaveBias(new() { ["epoch"] = "7", ["note"] = "é ✓" });
        var loaded = ModelFile.Load(path);
        var bias = Assert.IsType<BiasModel>(loaded.Model);
        Assert.Equal(3, bias.UserCount);
        Assert.Equal(["u0", "u1", "u2"], loaded.Users.Ids);
        Assert.Equal("7", loaded.Metadata["epoch"]);
        Assert.Equal("é ✓", loaded.Metadata["note"]);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp")); // the temporary file was renamed into place
    }

    [Fact]
    public void SaveLoad_KeepsTheSeenMatrix()
    {
        var data = TestData.Build(2, 3, (0, 2, 1), (1, 0, 1), (1, 1, 1));
        var path = Path.Combine(_dir, "seen.model");
        ModelFile.Save(path, new PopularityTrainer().Fit(data), data.UserMap, data.ItemMap, seen: data.ByUser);
        var seen = ModelFile.Load(path).Seen!;
        Assert.Equal([2], seen.RowColumns(0).ToArray());
        Assert.Equal([0, 1], seen.RowColumns(1).ToArray());
    }

    [Fact]
    public void Load_TruncatedFile_FailsWithClearMessage()
    {
        var path = SaveBias();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("damaged", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Load_AlteredByte_FailsChecksum()
    {
        var path = SaveBias();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("checksum", ex.Message);
    }

    [Fact]
    public void Load_ForeignFile_SaysItIsNotAModel()
    {
        var path = Path.Combine(_dir, "ratings.csv");
        File.WriteAllText(path, "userId,movieId,rating\n1,2,3\n");
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("not a RecKit model file", ex.Message);
    }

    [Fact]
    public void Load_EmptyOrMissingFile_FailsClearly()
    {
        var empty = Path.Combine(_dir, "empty.model");
        File.WriteAllBytes(empty, []);
        Assert.Contains("not a RecKit model file", Assert.Throws<ModelFormatException>(() => ModelFile.Load(empty)).Message);
        Assert.Contains("not found", Assert.Throws<ModelFormatException>(() => ModelFile.Load(Path.Combine(_dir, "nope.model"))).Message);
    }

    [Fact]
    public void Load_UnknownKind_NamesTheKind()
    {
        var data = TestData.Build(1, 1, (0, 0, 1));
        var path = Path.Combine(_dir, "odd.model");
        ModelFile.Save(path, new OddModel(), data.UserMap, data.ItemMap);
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("unknown model kind 'odd'", ex.Message);
    }

    [Fact]
    public void Save_OverwritesAtomically()
    {
        var path = SaveBias();
        var first = File.ReadAllBytes(path);
        SaveBias(new() { ["v"] = "2" });
        Assert.NotEqual(first, File.ReadAllBytes(path));
        Assert.Equal("2", ModelFile.Load(path).Metadata["v"]);
    }

    private sealed class OddModel : IPersistableModel
    {
        public string Kind => "odd";

        public int PayloadVersion => 1;

        public void WritePayload(ModelWriter writer) => writer.Write(42);
    }
}
