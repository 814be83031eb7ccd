using System.Runtime.InteropServices;
using System.Text;
using RecKit.Data;

namespace RecKit.Persistence;

/// <summary>Writes a model's payload: little-endian primitives and length-prefixed arrays.</summary>
public sealed class ModelWriter
{
    private readonly BinaryWriter _writer;

    internal ModelWriter(Stream stream) => _writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);

    public void Write(int value) => _writer.Write(value);

    public void Write(long value) => _writer.Write(value);

    public void Write(float value) => _writer.Write(Finite(value));

    public void Write(double value) => _writer.Write(Finite(value));

    public void Write(bool value) => _writer.Write(value);

    public void Write(string value) => _writer.Write(value);

    public void Write(ReadOnlySpan<float> values)
    {
        RequireFinite(Data.FiniteValues.All(values));
        _writer.Write(values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void Write(ReadOnlySpan<int> values)
    {
        _writer.Write(values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void Write(ReadOnlySpan<double> values)
    {
        RequireFinite(Data.FiniteValues.All(values));
        _writer.Write(values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void Write(IdMap map)
    {
        _writer.Write(map.Count);
        for (var i = 0; i < map.Count; i++)
        {
            _writer.Write(map[i]);
        }
    }

    public void Write(CsrMatrix matrix)
    {
        Write(matrix.RowCount);
        Write(matrix.ColumnCount);
        Write(matrix.RowPointers);
        Write(matrix.ColumnIndices);
        Write(matrix.Values);
    }

    internal void Flush() => _writer.Flush();

    private static T Finite<T>(T value)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        RequireFinite(T.IsFinite(value));
        return value;
    }

    /// <summary>A model with a NaN or infinite parameter recommends garbage: it is never written.</summary>
    private static void RequireFinite(bool finite)
    {
        if (!finite)
        {
            throw new NonFiniteModelException("the model holds a parameter that is not a finite number (NaN or infinity); it was not written. Its training diverged: lower the learning rate or check the input values.");
        }
    }
}
