namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// Opening the files tokenizers are loaded from. They often come with third-party models, so they
/// are untrusted: each is checked (<see cref="InputFile"/>) to be a regular file under <see cref="MaxBytes"/>
/// before it is read, and read through a stream that stops at that limit.
/// </summary>
internal static class TokenizerFile
{
    /// <summary>The largest tokenizer file accepted (GPT-2's vocab.json is 1 MiB, o200k_base 3.6 MiB).</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>Checks that <paramref name="path"/> is a non-empty regular file of at most <see cref="MaxBytes"/>; returns its full path.</summary>
    public static string Require(string path, string what)
    {
        var full = InputFile.Require(path, what, MaxBytes);
        if (InputFile.KindOf(full).Bytes == 0)
            throw new MemScanException($"{what} {path} is empty");
        return full;
    }

    /// <summary>Opens a tokenizer file for reading, bounded by <see cref="MaxBytes"/>.</summary>
    public static Stream Open(string path, string what) => InputFile.OpenRead(path, what, MaxBytes);

    /// <summary>Wraps a loader failure on an untrusted file into one clear line, keeping the cause.</summary>
    public static bool IsLoadFailure(Exception e) =>
        e is not (OutOfMemoryException or MemScanException or OperationCanceledException);
}
