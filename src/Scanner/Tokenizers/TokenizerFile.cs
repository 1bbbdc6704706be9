namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// Opening the files tokenizers are loaded from. They often come with third-party models, so they
/// are untrusted: each is checked to exist and to stay under <see cref="MaxBytes"/> before it is read.
/// </summary>
internal static class TokenizerFile
{
    /// <summary>The largest tokenizer file accepted (GPT-2's vocab.json is 1 MiB, o200k_base 3.6 MiB).</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>Checks that <paramref name="path"/> is a readable file of at most <see cref="MaxBytes"/>; returns its full path.</summary>
    public static string Require(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new MemScanException($"{what}: no file given");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new MemScanException($"{what} {path} is a folder, not a file");
        var info = new FileInfo(full);
        if (!info.Exists)
            throw new MemScanException($"{what} {path} does not exist");
        if (info.Length > MaxBytes)
            throw new MemScanException($"{what} {path} is {info.Length} bytes; the limit is {MaxBytes} ({MaxBytes >> 20} MiB)");
        if (info.Length == 0)
            throw new MemScanException($"{what} {path} is empty");
        return full;
    }

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

    /// <summary>Wraps a loader failure on an untrusted file into one clear line, keeping the cause.</summary>
    public static bool IsLoadFailure(Exception e) =>
        e is not (OutOfMemoryException or MemScanException or OperationCanceledException);
}
