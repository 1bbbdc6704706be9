using System.Runtime.InteropServices;
using System.Text;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// Little-endian binary framing between the scanner and its model-host child over stdin/stdout:
/// ints, strings and float/int arrays written as raw bytes (no per-element encoding cost).
/// </summary>
internal sealed class HostFrames(Stream input, Stream output)
{
    readonly BinaryReader _reader = new(input, Encoding.UTF8, leaveOpen: true);
    readonly BinaryWriter _writer = new(output, Encoding.UTF8, leaveOpen: true);

    public void WriteInt(int v) => _writer.Write(v);
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

    public void Flush() => _writer.Flush();

    public int ReadInt() => _reader.ReadInt32();
    public string ReadString() => _reader.ReadString();
    public bool ReadBool() => _reader.ReadBoolean();

    public float[] ReadFloats()
    {
        int n = ReadLength();
        var values = new float[n];
        ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public int[] ReadInts()
    {
        int n = ReadLength();
        var values = new int[n];
        ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    int ReadLength()
    {
        int n = _reader.ReadInt32();
        // A frame can never be this large; a garbled stream must not make us allocate gigabytes.
        if (n < 0 || n > 1 << 28) throw new InvalidDataException($"model host frame announces {n} elements");
        return n;
    }

    void ReadExactly(Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int read = _reader.BaseStream.Read(buffer);
            if (read == 0) throw new EndOfStreamException();
            buffer = buffer[read..];
        }
    }
}

/// <summary>What a request or response is.</summary>
internal enum HostMessage
{
    Ready = 1,
    Advance = 2,
    Result = 3,
    Error = 4,
    Quit = 5,
}
