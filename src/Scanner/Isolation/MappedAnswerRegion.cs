using System.IO.MemoryMappedFiles;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// The model host's side of the scanner's <see cref="AnswerRegion"/>: mapped by the path the
/// scanner sent, written with each answer's floats at the offsets both sides compute from the request.
/// </summary>
internal sealed class MappedAnswerRegion : IDisposable
{
    readonly MemoryMappedFile _map;
    readonly MemoryMappedViewAccessor _view;

    MappedAnswerRegion(MemoryMappedFile map, MemoryMappedViewAccessor view, long bytes)
    {
        _map = map;
        _view = view;
        Bytes = bytes;
    }

    public long Bytes { get; }

    /// <summary>Maps the scanner's region; throws IOException (or UnauthorizedAccessException) if it cannot.</summary>
    public static MappedAnswerRegion Open(string path, long bytes)
    {
        // Capacity 0: the file's own (sealed) size. It must be the size the scanner announced.
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        try
        {
            var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.ReadWrite);
            if (view.Capacity < bytes)
            {
                view.Dispose();
                throw new IOException($"answer region {path} has {view.Capacity} bytes, not {bytes}");
            }
            return new MappedAnswerRegion(map, view, bytes);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    public void Write(long floatOffset, float[] values)
    {
        long byteOffset = floatOffset * sizeof(float);
        if (floatOffset < 0 || byteOffset + (long)values.Length * sizeof(float) > Bytes)
            throw new InvalidDataException($"an answer of {values.Length} floats at {floatOffset} does not fit the {Bytes}-byte answer region");
        _view.WriteArray(byteOffset, values, 0, values.Length);
    }

    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
    }
}
