using System.Text;
using System.Text.Json;

namespace MemScan.Scanner.Corpora;

/// <summary>Text helpers shared by the text corpora: decoding, file lists, training lines.</summary>
public static class CorpusText
{
    /// <summary>
    /// The largest corpus file read whole (one document, one message, a <c>--corpus</c> file of a sweep
    /// merge): a corpus may be large, but one file becomes one string, which cannot pass 1 GiB of UTF-16.
    /// </summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>The largest <c>file_list.json</c> read.</summary>
    public const long MaxListBytes = 64L << 20;

    private static readonly Encoding Latin1 = Encoding.Latin1;

    /// <summary>
    /// UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), Latin-1 otherwise: old mail is often
    /// ISO-8859-1 or Windows-1252, and Latin-1 keeps one character per byte instead of U+FFFD.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        return System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Latin1.GetString(bytes);
    }

    /// <summary>
    /// The relative paths of a corpus's documents: the JSON array in <c>file_list.json</c> when the
    /// package ships one (it fixes the order), else every file matching <paramref name="patterns"/>
    /// below <paramref name="directory"/> in ordinal order of the '/'-separated relative path.
    /// </summary>
    public static List<string> ListDocuments(string directory, IReadOnlyList<string> patterns, bool recursive)
    {
        var listPath = Path.Combine(directory, "file_list.json");
        if (File.Exists(listPath))
        {
            try
            {
                var list = JsonSerializer.Deserialize<List<string>>(InputFile.ReadAllBytes(listPath, "corpus file list", MaxListBytes));
                if (list is null || list.Count == 0 || list.Any(string.IsNullOrWhiteSpace))
                    throw CorpusPaths.Malformed(listPath, "expected a non-empty JSON array of relative paths");
                return list;
            }
            catch (JsonException e)
            {
                throw CorpusPaths.Malformed(listPath, $"invalid JSON ({e.Message})", e);
            }
        }
        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        var found = patterns
            .SelectMany(p => Directory.EnumerateFiles(directory, p, option))
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Distinct()
            .ToList();
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>The non-blank lines of <paramref name="text"/>, without their line terminators.</summary>
    public static IEnumerable<string> NonBlankLines(string text)
    {
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            var length = end - start;
            if (length > 0 && text[end - 1] == '\r') length--;
            if (!text.AsSpan(start, length).IsWhiteSpace())
                yield return text.Substring(start, length);
            start = end + 1;
        }
    }

    /// <summary>
    /// Whole lines joined with '\n' until the next one would pass <paramref name="maxChars"/>; a first
    /// line longer than that is cut, so the result is never empty when there is text.
    /// </summary>
    public static string Take(IEnumerable<string> lines, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            var needed = sb.Length == 0 ? line.Length : sb.Length + 1 + line.Length;
            if (needed > maxChars)
            {
                if (sb.Length == 0) sb.Append(line, 0, maxChars);
                break;
            }
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(line);
        }
        return sb.ToString();
    }
}
