using System.Text.Json;
using System.Text.RegularExpressions;
using MemScan.Scanner.Corpora;
using Microsoft.ML.Tokenizers;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// GPT-2 byte-level BPE from a <c>vocab.json</c> (alias <c>encoder.json</c>) and a <c>merges.txt</c>
/// (alias <c>vocab.bpe</c>): UTF-8 bytes mapped to GPT-2's printable byte alphabet, split by GPT-2's
/// pre-tokenizer regex, merged by rank. Round-trips any text, spaces, newlines and unicode included.
/// </summary>
/// <remarks>
/// Built on <see cref="BpeTokenizer"/> with <see cref="BpeOptions.ByteLevel"/>, not on
/// <c>CodeGenTokenizer.Create</c>: the latter always adds CodeGen's whitespace tokens (ids 50257 to
/// 50294 for runs of 2 to 31 spaces or tabs), so "x    y" becomes [87, 50284, 88] instead of GPT-2's
/// [87, 220, 220, 220, 331], with ids a 50,257-token GPT-2 model does not have. Tokens of the
/// vocabulary that no merge builds and that look like <c>&lt;|name|&gt;</c> are special tokens
/// (GPT-2: <c>&lt;|endoftext|&gt;</c> = 50256); they are matched in the text, as Hugging Face does.
/// </remarks>
public sealed class Gpt2BpeTokenizer : ITextTokenizer
{
    /// <summary>GPT-2's pre-tokenizer (tiktoken r50k_base / p50k_base), with atomic groups as Microsoft.ML.Tokenizers writes it.</summary>
    public const string PreTokenizerPattern =
        @"'(?:[sdmt]|ll|ve|re)| ?(?>\p{L}+)| ?(?>\p{N}+)| ?(?>[^\s\p{L}\p{N}]+)|(?>\s+)$|\s+(?!\S)|\s";

    static readonly Regex PreTokenizerRegex = new(PreTokenizerPattern, RegexOptions.Compiled, TimeSpan.FromSeconds(10));

    /// <summary>A merges file that builds fewer vocabulary tokens than this share is taken as truncated.</summary>
    const double MinReachableShare = 0.99;

    readonly BpeTokenizer _bpe;

    Gpt2BpeTokenizer(BpeTokenizer bpe, int vocabSize, int mergeCount, IReadOnlyDictionary<string, int> specialTokens,
        string vocabPath, string mergesPath)
    {
        _bpe = bpe;
        VocabSize = vocabSize;
        MergeCount = mergeCount;
        SpecialTokens = specialTokens;
        VocabPath = vocabPath;
        MergesPath = mergesPath;
    }

    public int VocabSize { get; }
    public int MergeCount { get; }
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }
    public string VocabPath { get; }
    public string MergesPath { get; }

    /// <summary>Loads and cross-checks the two files; every problem is a <see cref="MemScanException"/> naming the file.</summary>
    public static Gpt2BpeTokenizer Create(string vocabPath, string mergesPath)
    {
        var vocabFull = TokenizerFile.Require(vocabPath, "GPT-2 BPE vocabulary");
        var mergesFull = TokenizerFile.Require(mergesPath, "GPT-2 BPE merges file");
        var vocab = ReadVocabulary(vocabFull);
        var merges = ReadMerges(mergesFull, vocab, vocabFull);

        var alphabet = ByteAlphabet();
        var missing = alphabet.Where(c => !vocab.ContainsKey(c.ToString())).ToList();
        if (missing.Count > 0)
            throw new MemScanException(
                $"GPT-2 BPE vocabulary {vocabFull} lacks {missing.Count} of the 256 byte symbols (first: U+{(int)missing[0]:X4}): " +
                "not a byte-level BPE vocabulary");

        var reachable = new HashSet<string>(alphabet.Select(c => c.ToString()), StringComparer.Ordinal);
        foreach (var (a, b) in merges) reachable.Add(a + b);
        var unreachable = vocab.Keys.Where(t => !reachable.Contains(t)).ToList();
        var special = unreachable.Where(IsSpecialLooking).ToDictionary(t => t, t => vocab[t], StringComparer.Ordinal);
        int built = vocab.Count - unreachable.Count;
        if (built < MinReachableShare * (vocab.Count - special.Count))
            throw new MemScanException(
                $"GPT-2 BPE merges file {mergesFull} has {merges.Count} merges, which build only {built} of the " +
                $"{vocab.Count} tokens of {vocabFull}: truncated merges file, or files that do not belong together?");

        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(vocab)
            {
                Merges = merges.Select(m => m.Left + " " + m.Right).ToList(),
                ByteLevel = true,
                PreTokenizer = new RegexPreTokenizer(PreTokenizerRegex, special.Count > 0 ? special : null),
                SpecialTokens = special.Count > 0 ? special : null,
            });
        }
        catch (Exception e) when (TokenizerFile.IsLoadFailure(e))
        {
            throw new MemScanException($"GPT-2 BPE files {vocabFull} and {mergesFull} cannot be loaded: {e.Message}", e);
        }
        return new Gpt2BpeTokenizer(bpe, vocab.Values.Max() + 1, merges.Count, special, vocabFull, mergesFull);
    }

    /// <summary>The GPT-2 files fetched by <c>corpora/fetch.sh gpt2</c>.</summary>
    public static Gpt2BpeTokenizer CreateDefault()
    {
        var files = Gpt2TokenizerFiles.LocateDefault();
        return Create(files.VocabPath, files.MergesPath);
    }

    public int[] Encode(string text) => text.Length == 0 ? [] : _bpe.EncodeToIds(text).ToArray();

    /// <summary>Ids outside the vocabulary come back as U+FFFD (the library would drop them).</summary>
    public string Decode(IEnumerable<int> ids) => OutOfVocabularyIds.Decode(ids, VocabSize, known => _bpe.Decode(known, considerSpecialTokens: true));

    public string Describe() =>
        $"gpt2-bpe ({VocabSize} tokens, {MergeCount} merges, {Path.GetFileName(VocabPath)} + {Path.GetFileName(MergesPath)})";

    static Dictionary<string, int> ReadVocabulary(string path)
    {
        using var stream = TokenizerFile.Open(path, "GPT-2 BPE vocabulary");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            throw new MemScanException($"GPT-2 BPE vocabulary {path} is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            try
            {
                return Entries(doc, path);
            }
            catch (InvalidOperationException e)
            {
                // JsonDocument checks UTF-8 lazily: a bad byte in a token surfaces only when it is read.
                throw new MemScanException($"GPT-2 BPE vocabulary {path} is not valid JSON: {e.Message}", e);
            }
        }
    }

    static Dictionary<string, int> Entries(JsonDocument doc, string path)
    {
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new MemScanException(
                    $"GPT-2 BPE vocabulary {path} must be a JSON object of token to id; found a JSON {doc.RootElement.ValueKind}");
            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            var seen = new Dictionary<int, string>();
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                    throw new MemScanException(
                        $"GPT-2 BPE vocabulary {path}: token '{entry.Name}' has id {entry.Value.GetRawText()}; ids must be integers >= 0");
                if (!vocab.TryAdd(entry.Name, id))
                    throw new MemScanException($"GPT-2 BPE vocabulary {path}: token '{entry.Name}' appears twice");
                if (!seen.TryAdd(id, entry.Name))
                    throw new MemScanException($"GPT-2 BPE vocabulary {path}: tokens '{seen[id]}' and '{entry.Name}' share id {id}");
            }
            if (vocab.Count < 256)
                throw new MemScanException($"GPT-2 BPE vocabulary {path} has {vocab.Count} tokens; a byte-level BPE has at least 256");
            return vocab;
        }
    }

    static List<(string Left, string Right)> ReadMerges(string path, Dictionary<string, int> vocab, string vocabPath)
    {
        var merges = new List<(string, string)>();
        using var reader = new StreamReader(TokenizerFile.Open(path, "GPT-2 BPE merges file"));
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
                continue;
            int space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
                throw new MemScanException(
                    $"GPT-2 BPE merges file {path} line {lineNumber}: expected two tokens separated by one space, got '{Shorten(line)}' (truncated or not a merges file?)");
            var left = line[..space];
            var right = line[(space + 1)..];
            foreach (var token in new[] { left, right, left + right })
                if (!vocab.ContainsKey(token))
                    throw new MemScanException(
                        $"GPT-2 BPE merges file {path} line {lineNumber}: '{Shorten(token)}' is not in vocabulary {vocabPath}: the files do not belong together");
            merges.Add((left, right));
        }
        if (merges.Count == 0)
            throw new MemScanException($"GPT-2 BPE merges file {path} has no merges");
        return merges;
    }

    /// <summary>GPT-2's printable stand-ins for the 256 byte values (bytes_to_unicode in OpenAI's encoder.py).</summary>
    internal static char[] ByteAlphabet()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    static bool IsSpecialLooking(string token) =>
        token.Length > 2 && token[0] == '<' && token[^1] == '>';

    static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
