using System.Buffers.Binary;
using System.IO.Hashing;
using RecKit.Data;
using RecKit.Models;

using RecKit.Persistence;

using RecKit.IO;

namespace RecKit.Models;

/// <summary>A model with the id maps that give its indices external names, and free-form metadata (epoch, options...).</summary>
/// <see cref="Seen"/> is the users × items matrix of known interactions, kept so that a served model can exclude
/// seen items without the raw data (null when it was not saved).
/// <see cref="State"/> is what a trainer needs to resume exactly (checkpoints only; null otherwise).
public sealed record SavedModel(IRecommender Model, IdMap Users, IdMap Items, IReadOnlyDictionary<string, string> Metadata, CsrMatrix? Seen, TrainerState? State = null);

/// <summary>
/// The one RecKit model file format.
/// Layout: "RECKITMF" magic (8 bytes), format version (int32), kind (string), payload version (int32),
/// metadata (count, then key/value strings), user map, item map, seen matrix (flag, then CSR), payload, trainer state
/// (version 2: count of float arrays, then name and array each; the same for int arrays), then the XxHash64 of every
/// preceding byte (8 bytes). Version 1 files (no trainer state) are still read.
/// Files are written atomically; loading checks magic, version and checksum before reading the payload.
/// </summary>
public static class ModelFile
{
    public const int FormatVersion = 2;
    private static readonly byte[] Magic = "RECKITMF"u8.ToArray();

    public static void Save(string path, IPersistableModel model, IdMap users, IdMap items, IReadOnlyDictionary<string, string>? metadata = null, CsrMatrix? seen = null, TrainerState? state = null)
    {
        if (seen is not null && (seen.RowCount != users.Count || seen.ColumnCount != items.Count))
        {
            throw new ArgumentException($"The seen matrix is {seen.RowCount}×{seen.ColumnCount}; the maps are {users.Count}×{items.Count}.");
        }

        // Streamed to the file with its checksum computed on the way (a model file can be hundreds of megabytes: held in a
        // growing buffer it cost twice that and more while the bundle was written); a failure leaves no file behind.
        AtomicFile.Write(path, file =>
        {
            var hashed = new HashingWriteStream(file);
            hashed.Write(Magic);
            var writer = new ModelWriter(hashed);
            writer.Write(FormatVersion);
            writer.Write(model.Kind);
            writer.Write(model.PayloadVersion);
            writer.Write(metadata?.Count ?? 0);
            foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            {
                writer.Write(key);
                writer.Write(value);
            }

            writer.Write(users);
            writer.Write(items);
            writer.Write(seen is not null);
            if (seen is not null)
            {
                writer.Write(seen);
            }

            try
            {
                model.WritePayload(writer);
            }
            catch (NonFiniteModelException ex)
            {
                throw new NonFiniteModelException($"{path}: {ex.Message}", ex);
            }

            writer.Write(state?.Floats.Count ?? 0);
            foreach (var (name, values) in state?.Floats ?? [])
            {
                writer.Write(name);
                writer.Write(values);
            }

            writer.Write(state?.Ints.Count ?? 0);
            foreach (var (name, values) in state?.Ints ?? [])
            {
                writer.Write(name);
                writer.Write(values);
            }

            writer.Flush();
            Span<byte> tail = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(tail, hashed.Hash);
            file.Write(tail);
        });
    }

    public static SavedModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"{path}: model file not found.");
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 8 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ModelFormatException($"{path}: not a RecKit model file (it does not start with the RecKit model header).");
        }

        var body = bytes.AsSpan(0, bytes.Length - 8);
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8));
        if (XxHash64.HashToUInt64(body) != stored)
        {
            throw new ModelFormatException($"{path}: the model file is damaged (checksum mismatch): it was truncated or altered after it was written.");
        }

        using var stream = new MemoryStream(bytes, Magic.Length, body.Length - Magic.Length, writable: false);
        var reader = new ModelReader(stream, path);
        var format = reader.ReadInt32();
        if (format is < 1 or > FormatVersion)
        {
            throw new ModelFormatException($"{path}: model file format version {format} is not supported (this RecKit reads version {FormatVersion}).");
        }

        var kind = reader.ReadString();
        var payloadVersion = reader.ReadInt32();
        var entries = reader.ReadInt32();
        reader.Require(entries >= 0 && entries < 1_000_000, "metadata entry count out of range");
        var metadata = new Dictionary<string, string>(entries, StringComparer.Ordinal);
        for (var e = 0; e < entries; e++)
        {
            var key = reader.ReadString();
            metadata[key] = reader.ReadString();
        }

        var users = reader.ReadIdMap();
        var items = reader.ReadIdMap();
        var seen = reader.ReadBoolean() ? reader.ReadCsrMatrix() : null;
        reader.Require(seen is null || (seen.RowCount == users.Count && seen.ColumnCount == items.Count), "the seen matrix does not match the id maps");
        IRecommender model;
        try
        {
            model = ModelRegistry.Read(kind, payloadVersion, reader, path);
        }
        catch (ModelFormatException ex) when (!ex.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new ModelFormatException($"{path}: {ex.Message}", ex);
        }

        var state = format >= 2 ? ReadState(reader) : null;
        if (stream.Position != stream.Length)
        {
            throw new ModelFormatException($"{path}: {stream.Length - stream.Position} unexpected bytes after the '{kind}' payload.");
        }

        if (model.UserCount != users.Count || model.ItemCount != items.Count)
        {
            throw new ModelFormatException($"{path}: the model's size ({model.UserCount} users, {model.ItemCount} items) does not match its id maps ({users.Count}, {items.Count}).");
        }

        return new SavedModel(model, users, items, metadata, seen, state);
    }

    private static TrainerState? ReadState(ModelReader reader)
    {
        var state = new TrainerState();
        var floats = reader.ReadInt32();
        reader.Require(floats is >= 0 and < 1000, "trainer state count out of range");
        for (var a = 0; a < floats; a++)
        {
            state.Floats[reader.ReadString()] = reader.ReadSingleArray();
        }

        var ints = reader.ReadInt32();
        reader.Require(ints is >= 0 and < 1000, "trainer state count out of range");
        for (var a = 0; a < ints; a++)
        {
            state.Ints[reader.ReadString()] = reader.ReadInt32Array();
        }

        return floats + ints == 0 ? null : state;
    }
}
