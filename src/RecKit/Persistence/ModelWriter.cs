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

    public void Write(float value) => _writer.Write(value);

    public void Write(double value) => _writer.Write(value);

    public void Write(bool value) => _writer.Write(value);

    public void Write(string value) => _writer.Write(value);

    public void Write(ReadOnlySpan<float> values)
    {
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
}
