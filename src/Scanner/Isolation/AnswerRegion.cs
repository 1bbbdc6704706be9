using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// The scanner's side of the shared memory the model host writes its answers' floats into (the
/// next-token and per-token log-probs), so the bulk of an answer skips the pipe. The scanner
/// creates it (a <see cref="SealedMemfd"/>) and maps it read-only; the host maps it by
/// <see cref="PathForHost"/>.
/// </summary>
/// <remarks>
/// Untrusted writer: the scanner reads only at offsets and lengths it computed from its own
/// request, inside a size fixed by the seal, and copies the floats into its own arrays before
/// anyone looks at them. What the host writes there is just floats, as it was on the pipe.
/// </remarks>
internal sealed class AnswerRegion : IDisposable
{
    readonly SafeFileHandle _file;
    readonly MemoryMappedFile _map;
    readonly MemoryMappedViewAccessor _view;

    AnswerRegion(SafeFileHandle file, MemoryMappedFile map, MemoryMappedViewAccessor view, long bytes)
    {
        _file = file;
        _map = map;
        _view = view;
        Bytes = bytes;
        PathForHost = SealedMemfd.PathForOtherProcess(file);
    }

    public long Bytes { get; }
    public string PathForHost { get; }

    /// <summary>A region of <paramref name="bytes"/> bytes, or null where shared memory is not available (then the pipe carries everything).</summary>
    public static AnswerRegion? TryCreate(long bytes)
    {
        var file = SealedMemfd.TryCreate("memscan-answers", bytes);
        if (file is null) return null;
        MemoryMappedFile? map = null;
        try
        {
            map = MemoryMappedFile.CreateFromFile(file, null, bytes, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            return new AnswerRegion(file, map, map.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.Read), bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            map?.Dispose();
            file.Dispose();
            return null;
        }
    }

    /// <summary>Copies floats <paramref name="floatOffset"/>.. of the region into <paramref name="destination"/>.</summary>
    public void Read(long floatOffset, float[] destination)
    {
        long byteOffset = floatOffset * sizeof(float);
        // Offsets are the scanner's own; this only guards against a bug on this side.
        if (floatOffset < 0 || byteOffset + (long)destination.Length * sizeof(float) > Bytes)
            throw new InvalidOperationException($"answer region read of {destination.Length} floats at {floatOffset} is outside its {Bytes} bytes");
        _view.ReadArray(byteOffset, destination, 0, destination.Length);
    }

    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
        _file.Dispose();
    }
}
