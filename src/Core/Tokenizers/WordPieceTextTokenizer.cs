using System.Text;
using MemScan.Scanner.Corpora;
using Ml = Microsoft.ML.Tokenizers;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// BERT's WordPiece from a <c>vocab.txt</c> (one token per line, <c>##</c> marks a continuation):
/// text is split into words by <see cref="BertBasicTokenizer"/>, and each word into the longest
/// vocabulary pieces from its start by Microsoft.ML.Tokenizers' <see cref="Ml.WordPieceTokenizer"/>
/// ("unaffable" is una ##ffa ##ble); a word that cannot be split becomes [UNK].
/// </summary>
/// <remarks>
/// Text is encoded as the model saw its training text, without [CLS]/[SEP] around it: MemScan
/// scores continuations of a prefix, and a [SEP] after the prefix would end the text the secret
/// continues. Special tokens written in the text ("[MASK]") are matched verbatim, as BERT's
/// tokenizer does. Decoding is lossy: an uncased vocabulary lowercases and strips accents, and the
/// spaces between words come back as single spaces (none before . , ! ? ').
/// </remarks>
public sealed class WordPieceTextTokenizer : ITextTokenizer
{
    readonly Ml.WordPieceTokenizer _wordPiece;
    readonly IReadOnlyDictionary<string, int> _specialIds;
    readonly IReadOnlyList<string> _tokens;

    WordPieceTextTokenizer(Ml.WordPieceTokenizer wordPiece, WordPieceVocabulary vocabulary, string path)
    {
        _wordPiece = wordPiece;
        _specialIds = vocabulary.SpecialIds;
        _tokens = vocabulary.Tokens;
        VocabSize = vocabulary.Tokens.Count;
        Uncased = vocabulary.Uncased;
        VocabFile = path;
    }

    const string ContinuationPrefix = "##";

    public string VocabFile { get; }
    /// <summary>Lines of vocab.txt (bert-base-uncased: 30,522).</summary>
    public int VocabSize { get; }
    /// <summary>Input is lowercased and stripped of accents (see <see cref="WordPieceVocabulary.Uncased"/>).</summary>
    public bool Uncased { get; }

    /// <summary>Loads <paramref name="path"/>, a WordPiece vocab.txt; the casing follows from its tokens.</summary>
    public static WordPieceTextTokenizer Create(string path)
    {
        var full = TokenizerFile.Require(path, "WordPiece vocabulary");
        var vocabulary = WordPieceVocabulary.Read(full);
        Ml.WordPieceTokenizer wordPiece;
        try
        {
            using var stream = vocabulary.ToStream();
            wordPiece = Ml.WordPieceTokenizer.Create(stream, new Ml.WordPieceOptions
            {
                UnknownToken = WordPieceVocabulary.UnknownToken,
                ContinuingSubwordPrefix = ContinuationPrefix,
                MaxInputCharsPerWord = 100, // BERT's: a longer word is [UNK] whole
            });
        }
        catch (Exception e) when (TokenizerFile.IsLoadFailure(e))
        {
            throw new MemScanException($"WordPiece vocabulary {full} cannot be loaded ({e.GetType().Name}: {e.Message})", e);
        }
        return new WordPieceTextTokenizer(wordPiece, vocabulary, full);
    }

    /// <summary>BERT-uncased's vocabulary, fetched by <c>corpora/fetch.sh bert</c>.</summary>
    public static WordPieceTextTokenizer CreateDefault()
    {
        var dir = CorpusPaths.For(CorpusPaths.Bert);
        CorpusPaths.RequireDirectory(dir);
        var path = Path.Combine(dir, "vocab.txt");
        if (!File.Exists(path)) throw CorpusPaths.MissingFile(dir, "vocab.txt");
        return Create(path);
    }

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        var words = new List<string>();
        int start = 0;
        // Special tokens first, verbatim: lowercasing must not turn "[MASK]" into "[mask]" = [ ma ##sk ].
        while (FindSpecial(text, start) is var (at, token, id))
        {
            EncodeWords(text[start..at], words, ids);
            ids.Add(id);
            start = at + token.Length;
        }
        EncodeWords(text[start..], words, ids);
        return ids.ToArray();
    }

    void EncodeWords(string text, List<string> words, List<int> ids)
    {
        words.Clear();
        BertBasicTokenizer.AppendWords(text, Uncased, words);
        // Each word is already one WordPiece input: no further pre-tokenization or normalization.
        foreach (var word in words)
            ids.AddRange(_wordPiece.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
    }

    (int At, string Token, int Id)? FindSpecial(string text, int from)
    {
        for (int at = text.IndexOf('[', from); at >= 0; at = text.IndexOf('[', at + 1))
            foreach (var (token, id) in _specialIds)
                if (text.AsSpan(at).StartsWith(token, StringComparison.Ordinal))
                    return (at, token, id);
        return null;
    }

    /// <summary>
    /// Continuations (##) join the piece before them; other tokens are words, one space apart (none
    /// before . , ! ? ', as Microsoft.ML's WordPieceTokenizer.Decode does). Done here rather than by the
    /// library because it drops ids outside the vocabulary: each comes back as a word U+FFFD instead.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            var token = (uint)id < (uint)_tokens.Count ? _tokens[id] : OutOfVocabularyIds.Replacement.ToString();
            if (token.StartsWith(ContinuationPrefix, StringComparison.Ordinal))
            {
                text.Append(token, ContinuationPrefix.Length, token.Length - ContinuationPrefix.Length);
                continue;
            }
            if (text.Length > 0 && token[0] is not ('.' or ',' or '!' or '?' or '\'')) text.Append(' ');
            text.Append(token);
        }
        return text.ToString();
    }

    public string Describe() => $"wordpiece ({VocabSize} tokens, {(Uncased ? "uncased" : "cased")}, {Path.GetFileName(VocabFile)})";
}
