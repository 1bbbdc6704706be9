using System.Text;
using Microsoft.Win32.SafeHandles;

namespace MemScan.Scanner;

/// <summary>
/// The one way MemScan opens a file a user or a third-party model hands it (a model and its
/// external data, a manifest, a tokenizer, a profile, a samples or prompt file, an image, a dataset,
/// a table read back, a checkpoint). Such files are untrusted, and a size from the file system is no
/// bound: a FIFO, <c>/dev/zero</c> or a pipe (<c>&lt;(yes)</c>) all report 0 bytes and never end.
/// So every input is resolved through its links, must be a regular file, is checked against the
/// limit for its kind before a byte is read, and is read through a stream that stops at that limit
/// should the file grow meanwhile. Every refusal is one line naming the file and why.
/// </summary>
public static class InputFile
{
    /// <summary>
    /// Checks that <paramref name="path"/> is, after its links, an existing regular file of at most
    /// <paramref name="maxBytes"/>; returns its full path (links kept, so messages show what the user typed).
    /// </summary>
    /// <param name="what">names the file in messages, e.g. "manifest", "members file"</param>
    public static string Require(string path, string what, long maxBytes)
    {
        var full = FullPath(path, what);
        var (kind, bytes) = KindOf(full);
        RefuseUnlessRegular(kind, path, what);
        if (bytes > maxBytes)
            throw new MemScanException($"{what} {path} is {bytes} bytes; the limit is {maxBytes} ({Describe(maxBytes)})");
        return full;
    }

    /// <summary>Checks that <paramref name="path"/> is, after its links, an existing regular file (its size is checked by its reader); returns its full path.</summary>
    public static string Require(string path, string what) => Require(path, what, long.MaxValue);

    /// <summary>
    /// What <paramref name="path"/> names after its links (Missing when nothing). Readers that accept
    /// a folder (a model folder, a folder of images) ask this first and take the folder path;
    /// everything else goes through <see cref="Require"/>, which says "is a directory".
    /// </summary>
    public static (FileKind Kind, long Bytes) KindOf(string path)
    {
        var full = Path.GetFullPath(path);
        if (UnixStat.Supported)
        {
            try { return UnixStat.Stat(full); }
            catch (IOException e) { throw new MemScanException($"{path} cannot be examined: {e.Message}", e); }
        }
        if (Directory.Exists(full)) return (FileKind.Directory, 0);
        var info = new FileInfo(full);
        return info.Exists ? (FileKind.RegularFile, info.Length) : (FileKind.Missing, 0);
    }

    /// <summary>
    /// Checks like <see cref="Require"/>, then opens the file for reading through a stream that
    /// refuses to go past <paramref name="maxBytes"/>. The descriptor is opened without blocking and
    /// checked again, so a FIFO swapped in after the check cannot hang the reader either.
    /// </summary>
    public static Stream OpenRead(string path, string what, long maxBytes, int bufferSize = 1 << 16)
    {
        var full = Require(path, what, maxBytes);
        FileStream stream;
        try
        {
            if (UnixStat.Supported)
            {
                SafeFileHandle handle = UnixStat.OpenNonBlocking(full);
                try
                {
                    RefuseUnlessRegular(UnixStat.Stat(handle).Kind, path, what);
                    stream = new FileStream(handle, FileAccess.Read, bufferSize);
                }
                catch
                {
                    handle.Dispose();
                    throw;
                }
            }
            else
            {
                stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"{what} {path} cannot be read: {e.Message}", e);
        }
        return new BoundedReadStream(stream, path, what, maxBytes);
    }

    /// <summary>The whole file, at most <paramref name="maxBytes"/> of it.</summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes)
    {
        using var stream = OpenRead(path, what, maxBytes);
        var buffer = new MemoryStream();
        try
        {
            stream.CopyTo(buffer);
        }
        catch (IOException e)
        {
            throw new MemScanException($"{what} {path} cannot be read: {e.Message}", e);
        }
        return buffer.ToArray();
    }

    /// <summary>The whole file as UTF-8 text (a byte-order mark is honoured), at most <paramref name="maxBytes"/> bytes of it.</summary>
    public static string ReadAllText(string path, string what, long maxBytes)
    {
        using var reader = new StreamReader(OpenRead(path, what, maxBytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        try
        {
            return reader.ReadToEnd();
        }
        catch (IOException e)
        {
            throw new MemScanException($"{what} {path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>One line for everything that is not an existing regular file.</summary>
    public static void RefuseUnlessRegular(FileKind kind, string path, string what)
    {
        switch (kind)
        {
            case FileKind.RegularFile: return;
            case FileKind.Missing: throw new MemScanException($"{what} {path} does not exist");
            case FileKind.Directory: throw new MemScanException($"{what} {path} is a directory, not a file");
            default:
                throw new MemScanException(
                    $"{what} {path} is {kind.Describe()}, not a regular file; MemScan reads inputs only from regular files (save it to a file first)");
        }
    }

    static string FullPath(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new MemScanException($"{what}: no file given");
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new MemScanException($"{what} {path} is not a valid path: {e.Message}", e);
        }
    }

    // 64 MiB, 1 MiB; a limit that is no whole number of MiB in KiB
    internal static string Describe(long bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";
}
