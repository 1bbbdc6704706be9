namespace MemScan.Scanner;

/// <summary>
/// Opening a file a user or a third-party manifest hands to MemScan (a manifest, a tokenizer, a
/// profile, a samples file). Such files are untrusted and MemScan reads most of them into memory,
/// so each is checked to be a file and to stay under a limit for its kind before a byte is read:
/// a mistaken or hostile multi-gigabyte input is one clear line, not an out-of-memory crash.
/// </summary>
public static class InputFile
{
    /// <summary>Checks that <paramref name="path"/> is an existing file of at most <paramref name="maxBytes"/>; returns its full path.</summary>
    /// <param name="what">names the file in messages, e.g. "manifest", "members file"</param>
    public static string Require(string path, string what, long maxBytes)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new MemScanException($"{what}: no file given");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new MemScanException($"{what} {path} is a folder, not a file");
        var info = new FileInfo(full);
        if (!info.Exists)
            throw new MemScanException($"{what} {path} does not exist");
        if (info.Length > maxBytes)
            throw new MemScanException($"{what} {path} is {info.Length} bytes; the limit is {maxBytes} ({Describe(maxBytes)})");
        return full;
    }

    /// <summary>Opens a checked file for reading; a failure names the file.</summary>
    public static FileStream Open(string fullPath, string what)
    {
        try
        {
            return new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"{what} {fullPath} cannot be read: {e.Message}", e);
        }
    }

    // 64 MiB, 1 MiB; a limit that is no whole number of MiB in KiB
    static string Describe(long bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";
}
