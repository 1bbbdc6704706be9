using System.Text;

namespace MemScan.Scanner.Manifest;

/// <summary>
/// A samples file: one sample per line (<c>--samples-file</c>, <c>--members</c>,
/// <c>--non-members</c>, the sample files a manifest names). They come from users and third-party
/// manifests and are kept in memory whole, so what they can cost is bounded before it is spent:
/// the file's size (checked before reading), the length of one line (checked while reading it, so
/// a file without line breaks is refused after one line's worth of text, not after all of it) and
/// the number of samples (a file of one-character lines would otherwise cost ~20 times its size).
/// </summary>
public static class SampleFile
{
    /// <summary>The largest samples file accepted (the membership samples of a real audit: a few MiB).</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>The longest line, in characters: a sample is a line of text scored up to a few thousand tokens, not a corpus.</summary>
    public const int MaxLineChars = 1 << 20;

    /// <summary>The most samples in one file (the scans use at most a few thousand of them).</summary>
    public const int MaxSamples = 1_000_000;

    /// <summary>
    /// The non-empty lines of <paramref name="path"/> without their terminators (<c>\n</c>, <c>\r\n</c>
    /// or <c>\r</c>), decoded as UTF-8 unless a byte-order mark names another Unicode encoding.
    /// </summary>
    /// <param name="what">names the file in messages, e.g. "members file"</param>
    public static IReadOnlyList<string> Read(string path, string what = "samples file")
    {
        using var reader = new StreamReader(InputFile.OpenRead(path, what, MaxBytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var samples = new List<string>();
        var line = new StringBuilder();
        var buffer = new char[1 << 16];
        long number = 1;
        bool afterCr = false;
        for (int read; (read = reader.Read(buffer)) > 0;)
        {
            var rest = buffer.AsSpan(0, read);
            while (rest.Length > 0)
            {
                if (afterCr)
                {
                    afterCr = false;
                    if (rest[0] == '\n') { rest = rest[1..]; continue; } // the \n of a \r\n
                }
                int end = rest.IndexOfAny('\r', '\n');
                var part = end < 0 ? rest : rest[..end];
                if (line.Length + part.Length > MaxLineChars)
                    throw new MemScanException($"{what} {path}: line {number} is longer than {MaxLineChars:N0} characters, the limit of one sample");
                line.Append(part);
                if (end < 0) break;
                afterCr = rest[end] == '\r';
                EndLine();
                rest = rest[(end + 1)..];
            }
        }
        EndLine();
        return samples;

        void EndLine()
        {
            if (line.Length > 0)
            {
                if (samples.Count == MaxSamples)
                    throw new MemScanException($"{what} {path} holds more than {MaxSamples:N0} samples, the limit of one file");
                samples.Add(line.ToString());
                line.Clear();
            }
            number++;
        }
    }
}
