using System.Buffers.Binary;
using System.IO.Compression;

namespace MemScan.Scanner.Corpora;

/// <summary>
/// An IDX file (the MNIST format: two zero bytes, element type, rank, big-endian int32 dimensions,
/// then the elements row-major), plain or gzip-compressed (detected by its magic bytes, not its
/// name). Only unsigned-byte elements (type 0x08), which is what MNIST-like datasets use.
/// </summary>
public sealed class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>The largest IDX file read (MNIST's training images are 47 MB, 10 MB gzipped).</summary>
    public const long MaxBytes = 1L << 30;

    private IdxFile(string path, int[] dimensions, byte[] data)
    {
        Path = path;
        Dimensions = dimensions;
        Data = data;
    }

    public static IdxFile Read(string path)
    {
        try
        {
            using var file = InputFile.OpenRead(path, "IDX file", MaxBytes);
            var gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            return Read(path, stream);
        }
        catch (InvalidDataException e)
        {
            throw CorpusPaths.Malformed(path, $"corrupt gzip stream ({e.Message})", e);
        }
    }

    private static IdxFile Read(string path, Stream stream)
    {
        Span<byte> header = stackalloc byte[4];
        var got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < 4)
            throw CorpusPaths.Malformed(path, $"an IDX header needs 4 bytes, found {got}");
        if (header[0] != 0 || header[1] != 0)
            throw CorpusPaths.Malformed(path, $"not an IDX file: magic starts {header[0]:x2} {header[1]:x2}, expected 00 00");
        if (header[2] != UnsignedByte)
            throw CorpusPaths.Malformed(path, $"element type 0x{header[2]:x2} is not supported, expected 0x08 (unsigned byte)");
        var rank = header[3];
        if (rank == 0)
            throw CorpusPaths.Malformed(path, "rank 0 (no dimensions)");

        var dimensionBytes = new byte[rank * 4];
        got = stream.ReadAtLeast(dimensionBytes, dimensionBytes.Length, throwOnEndOfStream: false);
        if (got < dimensionBytes.Length)
            throw CorpusPaths.Malformed(path, $"truncated header: {rank} dimensions need {dimensionBytes.Length} bytes, found {got}");
        var dimensions = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(i * 4));
            if (dimensions[i] < 0)
                throw CorpusPaths.Malformed(path, $"dimension {i} is negative ({dimensions[i]})");
            count *= dimensions[i];
            if (count > Array.MaxLength)
                throw CorpusPaths.Malformed(path, $"dimensions {string.Join('x', dimensions[..(i + 1)])} exceed {Array.MaxLength} elements");
        }

        var shape = string.Join('x', dimensions);
        var (data, read) = ReadUpTo(stream, count);
        if (read < count)
            throw CorpusPaths.Malformed(path, $"truncated: the header promises {shape} = {count} bytes of data, but the file has {read}");
        var extra = 0L;
        Span<byte> rest = stackalloc byte[4096];
        for (int n; (n = stream.Read(rest)) > 0;) extra += n;
        if (extra > 0)
            throw CorpusPaths.Malformed(path, $"{extra} bytes follow the {shape} = {count} bytes the header promises");
        return new IdxFile(path, dimensions, data);
    }

    /// <summary>
    /// Up to <paramref name="count"/> bytes, in a buffer that grows with the data that actually
    /// arrives: the count comes from a header a few hostile bytes can set to 2 GiB, and a short file
    /// must cost what it holds, not what it promises.
    /// </summary>
    private static (byte[] Data, long Got) ReadUpTo(Stream stream, long count)
    {
        const int firstChunk = 1 << 20;
        var data = new byte[Math.Min(count, firstChunk)];
        long got = 0;
        while (got < count)
        {
            if (got == data.Length)
                Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
            int n = stream.Read(data, (int)got, data.Length - (int)got);
            if (n == 0) break;
            got += n;
        }
        return (data, got);
    }

    public string Path { get; }

    /// <summary>The dimensions from the header, outermost first (e.g. 60000, 28, 28).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The elements, row-major.</summary>
    public byte[] Data { get; }
}
