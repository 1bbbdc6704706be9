using MemScan.Scanner.Corpora;
using Ml = Microsoft.ML.Tokenizers;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// OpenAI's tiktoken encodings from a <c>.tiktoken</c> rank file (one <c>base64(token) rank</c> per
/// line). The file holds only the ranks; the pre-tokenizer regex and the special tokens belong to the
/// encoding, so the encoding must be known: from the file's name (<c>cl100k_base.tiktoken</c>) or
/// named by the user. Special tokens such as <c>&lt;|endoftext|&gt;</c> are matched in the text.
/// </summary>
public sealed class TiktokenTokenizer : ITextTokenizer
{
    /// <summary>An encoding: its name, a model name Microsoft.ML.Tokenizers maps to the encoding's regex
    /// and special tokens, and the number of ranks its file holds.</summary>
    sealed record EncodingInfo(string Name, string ModelName, int Ranks, string RankFile);

    static readonly EncodingInfo[] Known =
    [
        new("r50k_base", "davinci", 50_256, "r50k_base"),
        new("p50k_base", "text-davinci-003", 50_280, "p50k_base"),
        new("p50k_edit", "text-davinci-edit-001", 50_280, "p50k_base"),
        new("cl100k_base", "gpt-4", 100_256, "cl100k_base"),
        new("o200k_base", "gpt-4o", 199_998, "o200k_base"),
    ];

    /// <summary>Encoding names this class knows, e.g. for error messages and the CLI.</summary>
    public static IReadOnlyList<string> Encodings { get; } = Known.Select(e => e.Name).ToArray();

    readonly Ml.TiktokenTokenizer _tiktoken;

    TiktokenTokenizer(Ml.TiktokenTokenizer tiktoken, string encoding, int vocabSize, string path)
    {
        _tiktoken = tiktoken;
        Encoding = encoding;
        VocabSize = vocabSize;
        RankFile = path;
    }

    /// <summary>The encoding name, e.g. <c>cl100k_base</c>.</summary>
    public string Encoding { get; }
    public string RankFile { get; }
    /// <summary>Highest rank or special-token id plus one (cl100k_base: 100,277).</summary>
    public int VocabSize { get; }
    public IReadOnlyDictionary<string, int> SpecialTokens => _tiktoken.SpecialTokens ?? new Dictionary<string, int>();

    public static bool IsEncodingName(string name) => Find(name) is not null;

    /// <summary>Loads <paramref name="path"/>; <paramref name="encoding"/> null guesses it from the file name.</summary>
    public static TiktokenTokenizer Create(string path, string? encoding = null)
    {
        var full = TokenizerFile.Require(path, "tiktoken rank file");
        var info = encoding is null ? GuessFromName(full) : Find(encoding)
            ?? throw new MemScanException($"unknown tiktoken encoding '{encoding}'; known: {string.Join(", ", Encodings)}");

        int ranks, maxRank;
        Ml.TiktokenTokenizer tiktoken;
        try
        {
            (ranks, maxRank) = CountRanks(full);
            using var stream = TokenizerFile.Open(full, "tiktoken rank file");
            tiktoken = Ml.TiktokenTokenizer.CreateForModel(info.ModelName, stream);
        }
        catch (Exception e) when (TokenizerFile.IsLoadFailure(e))
        {
            throw new MemScanException($"tiktoken rank file {full} cannot be loaded as {info.Name}: {e.Message}", e);
        }
        if (ranks != info.Ranks)
            throw new MemScanException(
                $"tiktoken rank file {full} has {ranks} ranks but {info.Name} has {info.Ranks}: wrong file, or wrong encoding name?");
        int vocab = Math.Max(maxRank, tiktoken.SpecialTokens?.Values.DefaultIfEmpty(0).Max() ?? 0) + 1;
        return new TiktokenTokenizer(tiktoken, info.Name, vocab, full);
    }

    /// <summary>An encoding from the rank files fetched by <c>corpora/fetch.sh tiktoken</c>.</summary>
    public static TiktokenTokenizer CreateDefault(string encoding)
    {
        var info = Find(encoding)
            ?? throw new MemScanException($"unknown tiktoken encoding '{encoding}'; known: {string.Join(", ", Encodings)}");
        return Create(TiktokenFiles.LocateDefault().PathFor(info.RankFile), info.Name);
    }

    public int[] Encode(string text) => text.Length == 0 ? [] : _tiktoken.EncodeToIds(text).ToArray();

    /// <summary>Ids outside the vocabulary come back as U+FFFD (the library would drop them).</summary>
    public string Decode(IEnumerable<int> ids) => OutOfVocabularyIds.Decode(ids, VocabSize, known => _tiktoken.Decode(known));

    public string Describe() => $"tiktoken {Encoding} ({VocabSize} tokens, {Path.GetFileName(RankFile)})";

    static EncodingInfo? Find(string name) =>
        Known.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one encoding whose name appears in the file name.</summary>
    static EncodingInfo GuessFromName(string path)
    {
        var name = Path.GetFileName(path);
        var found = Known.Where(e => name.Contains(e.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (found.Count == 1) return found[0];
        throw new MemScanException(
            $"cannot tell which tiktoken encoding {path} holds from its name; name it as ENCODING:{path} " +
            $"with ENCODING one of {string.Join(", ", Encodings)}");
    }

    /// <summary>Counts the non-empty lines and the highest rank: the library accepts a file with missing ranks silently.</summary>
    static (int Count, int MaxRank) CountRanks(string path)
    {
        int count = 0, max = -1, lineNumber = 0;
        using var reader = new StreamReader(TokenizerFile.Open(path, "tiktoken rank file"));
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            int space = line.LastIndexOf(' ');
            if (space <= 0 || !int.TryParse(line.AsSpan(space + 1), out int rank) || rank < 0)
                throw new MemScanException($"tiktoken rank file {path} line {lineNumber}: expected 'BASE64 RANK'");
            count++;
            max = Math.Max(max, rank);
        }
        return (count, max);
    }
}
