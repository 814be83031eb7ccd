using System.Runtime.InteropServices;
using System.Text;
using RecKit.Data;

namespace RecKit.Persistence;

/// <summary>Reads what <see cref="ModelWriter"/> wrote; any inconsistency is a <see cref="ModelFormatException"/>.</summary>
public sealed class ModelReader
{
    private readonly BinaryReader _reader;
    private readonly string _source;

    internal ModelReader(Stream stream, string source)
    {
        _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        _source = source;
    }

    public int ReadInt32() => Guard(_reader.ReadInt32);

    public long ReadInt64() => Guard(_reader.ReadInt64);

    public float ReadSingle() => Finite(Guard(_reader.ReadSingle));

    public double ReadDouble() => Finite(Guard(_reader.ReadDouble));

    public bool ReadBoolean() => Guard(_reader.ReadBoolean);

    public string ReadString() => Guard(_reader.ReadString);

    public float[] ReadSingleArray()
    {
        var values = ReadArray<float>();
        Finite(Data.FiniteValues.All<float>(values));
        return values;
    }

    public int[] ReadInt32Array() => ReadArray<int>();

    public double[] ReadDoubleArray()
    {
        var values = ReadArray<double>();
        Finite(Data.FiniteValues.All<double>(values));
        return values;
    }

    public IdMap ReadIdMap()
    {
        var count = ReadLength(1);
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = ReadString();
        }

        try
        {
            return IdMap.FromIds(ids);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException($"{_source}: damaged id map ({ex.Message}).", ex);
        }
    }

    public CsrMatrix ReadCsrMatrix()
    {
        var rows = ReadInt32();
        var columns = ReadInt32();
        var pointers = ReadInt32Array();
        var indices = ReadInt32Array();
        var values = ReadSingleArray();
        try
        {
            return new CsrMatrix(rows, columns, pointers, indices, values);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException($"{_source}: damaged sparse matrix ({ex.Message}).", ex);
        }
    }

    /// <summary>Fails with a clear message when a stored value breaks an invariant the model relies on.</summary>
    public void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new ModelFormatException($"{_source}: damaged model payload: {what}.");
        }
    }

    private T[] ReadArray<T>()
        where T : unmanaged
    {
        var count = ReadLength(System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        var array = new T[count];
        var bytes = MemoryMarshal.AsBytes(array.AsSpan());
        if (_reader.BaseStream.Read(bytes) != bytes.Length)
        {
            throw Truncated();
        }

        return array;
    }

    private int ReadLength(int elementSize)
    {
        var count = ReadInt32();
        var remaining = _reader.BaseStream.Length - _reader.BaseStream.Position;
        if (count < 0 || (long)count * elementSize > remaining)
        {
            throw new ModelFormatException($"{_source}: damaged model payload: an array claims {count} elements but only {remaining} bytes remain.");
        }

        return count;
    }

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException)
        {
            throw Truncated();
        }
    }

    private T Finite<T>(T value)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        Finite(T.IsFinite(value));
        return value;
    }

    private void Finite(bool finite)
    {
        if (!finite)
        {
            throw new ModelFormatException($"{_source}: the model holds a parameter that is not a finite number (NaN or infinity); such a model recommends nothing useful and is not loaded.");
        }
    }

    private ModelFormatException Truncated() => new($"{_source}: the model payload ends early (truncated file).");
}
