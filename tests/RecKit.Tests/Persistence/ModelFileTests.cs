using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using RecKit.Models;
using RecKit.Persistence;

using RecKit.IO;

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

    private static LatentFactorModel Factors(float first) =>
        new("bpr", 2, [first, 0.5f, 0.25f, 0.125f], [1f, 2f, 3f, 4f, 5f, 6f], [0f, 0f, 0f], [0f, 0f], [0f, 0f, 0f], [true, true], null);

    private static (RecKit.Data.IdMap Users, RecKit.Data.IdMap Items) Maps() =>
        (RecKit.Data.IdMap.FromIds(["a", "b"]), RecKit.Data.IdMap.FromIds(["x", "y", "z"]));

    [Fact]
    public void Save_RefusesNonFiniteParameters_AndLeavesTheOldFile()
    {
        var (users, items) = Maps();
        var path = Path.Combine(_dir, "nan.model");
        ModelFile.Save(path, Factors(1f), users, items);
        var before = File.ReadAllBytes(path);
        var error = Assert.Throws<NonFiniteModelException>(() => ModelFile.Save(path, Factors(float.NaN), users, items));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a finite number", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Throws<NonFiniteModelException>(() => ModelFile.Save(Path.Combine(_dir, "inf.model"), Factors(float.PositiveInfinity), users, items));
        Assert.False(File.Exists(Path.Combine(_dir, "inf.model")));
    }

    [Fact]
    public void Load_RefusesAFileWithNaNParameters_EvenWithAValidChecksum()
    {
        var (users, items) = Maps();
        var path = Path.Combine(_dir, "patched.model");
        const float Marker = 1234.5f;
        ModelFile.Save(path, Factors(Marker), users, items);
        var bytes = File.ReadAllBytes(path);
        var marker = BitConverter.GetBytes(Marker);
        var at = bytes.AsSpan().IndexOf(marker);
        Assert.True(at > 0);
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, at);
        var hash = XxHash64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8), hash);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("not a finite number", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A payload that fails half-way through writing.</summary>
    private sealed class FailingModel : IPersistableModel
    {
        public string Kind => "bias";

        public int PayloadVersion => 1;

        public void WritePayload(ModelWriter writer)
        {
            writer.Write(new float[100_000]);
            throw new IOException("disk full (simulated)");
        }
    }

    [Fact]
    public void AWriterThatFailsPartWay_LeavesTheOldFileByteForByte_AndNoTemporaryFile()
    {
        var path = SaveBias();
        var before = File.ReadAllBytes(path);
        var (users, items) = Maps();
        Assert.Throws<IOException>(() => ModelFile.Save(path, new FailingModel(), users, items));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1 << 20]);
            throw new IOException("disk full (simulated)");
        }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int HardLink([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);

    [Fact]
    public void Save_ReplacesTheFileByRename_NeverWritesIntoTheOldOne()
    {
        var path = SaveBias();
        var before = File.ReadAllBytes(path);
        var other = Path.Combine(_dir, "other-name.model");
        Assert.Equal(0, HardLink(path, other));

        // Written in place, the new bytes would show through the second name too; renamed into place, they cannot.
        var data = TestData.Build(3, 4, (0, 0, 1), (1, 1, 2));
        ModelFile.Save(path, new PopularityTrainer().Fit(data), data.UserMap, data.ItemMap);
        Assert.Equal(before, File.ReadAllBytes(other));
        Assert.NotEqual(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void AWriteFailure_NamesTheTarget_NotTheTemporaryFile()
    {
        var blocker = Path.Combine(_dir, "a-file");
        File.WriteAllText(blocker, "x");
        var target = Path.Combine(blocker, "model.bin");
        var error = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(target, "data"));
        Assert.StartsWith($"cannot write {target}:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", error.Message, StringComparison.Ordinal);
        var folder = Assert.Throws<IOException>(() => AtomicFile.CheckFolder(Path.Combine(blocker, "out")));
        Assert.Contains("is a file; a folder is needed", folder.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => AtomicFile.CheckWritable(_dir));
    }
}
