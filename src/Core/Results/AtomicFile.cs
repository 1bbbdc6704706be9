using System.Security.Cryptography;
using System.Text;

namespace MemScan.Scanner.Results;

/// <summary>
/// Writes a file all-or-nothing: the bytes go to a hidden temp file in the same folder, are flushed
/// to disk, and the temp file is renamed over the target. A crash or an exception in the write
/// callback leaves the old file (or no file) and no temp file behind. Results hold recovered
/// secrets, so files are created owner-only (0600) and folders owner-only (0700) on Unix.
/// </summary>
public static class AtomicFile
{
    /// <summary>Owner read/write: the mode of every file written here.</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read/write/search: the mode of every folder created here.</summary>
    public const UnixFileMode PrivateFolderMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Suffix of in-flight temp files; listings of result folders ignore them.</summary>
    public const string TempSuffix = ".tmp";

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temp = CreateTemp(path, out FileStream stream);
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Commit(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static async Task WriteAsync(
        string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temp = CreateTemp(path, out FileStream stream);
        try
        {
            await using (stream)
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            Commit(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        // a span cannot be captured by the callback: copy once, these are small files
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static Task WriteAllBytesAsync(
        string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        WriteAsync(path, (s, ct) => s.WriteAsync(bytes, ct).AsTask(), cancellationToken);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default) =>
        WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Creates <paramref name="path"/> and missing parents owner-only (0700 on Unix).</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        // Directory.CreateDirectory(path, mode) applies the mode to the last folder only; create
        // each missing ancestor ourselves so none of them is world-readable. Existing folders
        // keep their mode.
        var missing = new Stack<string>();
        for (string? dir = Path.GetFullPath(path); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
            missing.Push(dir);
        while (missing.TryPop(out string? dir))
            Directory.CreateDirectory(dir, PrivateFolderMode);
    }

    /// <summary>
    /// Creates an empty owner-only temp file beside <paramref name="path"/> and returns its path and
    /// an open read/write stream (seekable, as Parquet writers need). Pair with <see cref="Commit"/>.
    /// </summary>
    internal static string CreateTemp(string path, out FileStream stream)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)
            ?? throw new MemScanException($"cannot write '{path}': it has no parent folder");
        try
        {
            CreatePrivateDirectory(folder);
            string temp = Path.Combine(folder,
                $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}{TempSuffix}");
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = PrivateFileMode;
            stream = new FileStream(temp, options);
            return temp;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"cannot write '{path}': {e.Message}", e);
        }
    }

    /// <summary>Renames a finished temp file over <paramref name="path"/> (replacing it).</summary>
    internal static void Commit(string tempPath, string path)
    {
        try
        {
            // the umask can only remove bits, but an inherited ACL or odd FS may add some: be explicit
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(tempPath, PrivateFileMode);
            File.Move(tempPath, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"cannot write '{path}': {e.Message}", e);
        }
    }

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
