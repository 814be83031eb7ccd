using System.IO.Hashing;

namespace RecKit.IO;

/// <summary>
/// A write-only stream that passes every byte on to another stream and adds it to an XxHash64 on the way, so that a
/// file and its checksum are written in one pass without holding the file in memory.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : Stream
{
    private readonly XxHash64 _hash = new();

    /// <summary>The XxHash64 of every byte written so far.</summary>
    public ulong Hash => _hash.GetCurrentHashAsUInt64();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.Append(buffer);
        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
