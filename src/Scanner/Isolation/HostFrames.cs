using System.Runtime.InteropServices;
using System.Text;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// Little-endian binary framing between the scanner and its model-host child over stdin/stdout:
/// ints, strings and float/int arrays written as raw bytes (no per-element encoding cost).
/// </summary>
/// <remarks>
/// Performance: both directions are buffered and flushed once per message. The raw pipe streams
/// are unbuffered, so without this every int of a frame was its own write or read system call
/// (tens per model row), which cost more than the bytes themselves (docs/PERFORMANCE.md).
/// </remarks>
internal sealed class HostFrames
{
    /// <summary>Small frames (ints, a char model's log-probs) gather here; arrays this large or larger
    /// (a GPT's 50,257 log-probs) go straight to the pipe without a copy through the buffer.</summary>
    const int BufferBytes = 1 << 16;

    /// <summary>No frame is this large; a garbled stream must not make us allocate gigabytes.</summary>
    internal const int MaxElements = 1 << 28;

    readonly BufferedStream _in;
    readonly BufferedStream _out;
    readonly BinaryReader _reader;
    readonly BinaryWriter _writer;

    public HostFrames(Stream input, Stream output)
    {
        _in = new BufferedStream(input, BufferBytes);
        _out = new BufferedStream(output, BufferBytes);
        _reader = new BinaryReader(_in, Encoding.UTF8, leaveOpen: true);
        _writer = new BinaryWriter(_out, Encoding.UTF8, leaveOpen: true);
    }

    public void WriteInt(int v) => _writer.Write(v);
    public void WriteLong(long v) => _writer.Write(v);
    public void WriteString(string s) => _writer.Write(s);
    public void WriteBool(bool b) => _writer.Write(b);

    public void WriteFloats(ReadOnlySpan<float> values)
    {
        _writer.Write(values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void WriteInts(ReadOnlySpan<int> values)
    {
        _writer.Write(values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void WriteLongs(ReadOnlySpan<long> values)
    {
        _writer.Write(values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Sends everything written since the last flush (one message).</summary>
    public void Flush() => _writer.Flush();

    public int ReadInt() => _reader.ReadInt32();
    public long ReadLong() => _reader.ReadInt64();
    public string ReadString() => _reader.ReadString();
    public bool ReadBool() => _reader.ReadBoolean();

    public float[] ReadFloats() => ReadArray<float>(ReadLength());
    public int[] ReadInts() => ReadArray<int>(ReadLength());
    public long[] ReadLongs() => ReadArray<long>(ReadLength());

    /// <summary>A float array that must have exactly <paramref name="expected"/> elements (checked before allocating).</summary>
    public float[] ReadFloats(int expected, string what)
    {
        int n = ReadLength();
        if (n != expected) throw new InvalidDataException($"{what}: {n} values where {expected} were expected");
        return ReadArray<float>(n);
    }

    /// <summary>An int array that must have exactly <paramref name="expected"/> elements (checked before allocating).</summary>
    public int[] ReadInts(int expected, string what)
    {
        int n = ReadLength();
        if (n != expected) throw new InvalidDataException($"{what}: {n} values where {expected} were expected");
        return ReadArray<int>(n);
    }

    /// <summary>A long array that must have exactly <paramref name="expected"/> elements (checked before allocating).</summary>
    public long[] ReadLongs(int expected, string what)
    {
        int n = ReadLength();
        if (n != expected) throw new InvalidDataException($"{what}: {n} values where {expected} were expected");
        return ReadArray<long>(n);
    }

    T[] ReadArray<T>(int n) where T : unmanaged
    {
        var values = new T[n];
        ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    int ReadLength()
    {
        int n = _reader.ReadInt32();
        if (n < 0 || n > MaxElements) throw new InvalidDataException($"model host frame announces {n} elements");
        return n;
    }

    void ReadExactly(Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int read = _in.Read(buffer);
            if (read == 0) throw new EndOfStreamException();
            buffer = buffer[read..];
        }
    }
}
