using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// The tokenizer.json WordPiece model (BERT): each word split greedily into the longest vocabulary
/// pieces from its start, continuations written with <c>continuing_subword_prefix</c> ("##"); a word
/// with a part no piece covers, or longer than <c>max_input_chars_per_word</c>, is the unknown token whole.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' <c>WordPieceTokenizer</c> (which <see cref="WordPieceTextTokenizer"/> uses for
/// vocab.txt files) loads its vocabulary from a vocab.txt stream only; here the vocabulary is the JSON map
/// and the words come from the file's own pre-tokenizer, so the few lines of greedy matching are kept
/// beside the other tokenizer.json models. Checked against transformers.js on bert-base-uncased's layout.
/// </remarks>
internal sealed class WordPieceModel
{
    readonly Dictionary<string, int> _vocab;
    readonly int _unkId, _maxChars;
    readonly string _prefix;

    WordPieceModel(Dictionary<string, int> vocab, int unkId, string prefix, int maxChars)
    {
        _vocab = vocab;
        _unkId = unkId;
        _prefix = prefix;
        _maxChars = maxChars;
    }

    public IReadOnlyDictionary<string, int> Vocabulary => _vocab;
    public string ContinuingPrefix => _prefix;

    public static WordPieceModel Create(JsonElement model, string where)
    {
        var vocab = ModelVocabulary.ReadMap(JsonFields.Object(model, "vocab", where), $"{where}.vocab");
        var unk = JsonFields.String(model, "unk_token", where);
        if (!vocab.TryGetValue(unk, out int unkId))
            throw new FormatException($"{where}.unk_token '{unk}' is not in the vocabulary");
        var prefix = JsonFields.OptionalString(model, "continuing_subword_prefix", where) ?? "##";
        int maxChars = JsonFields.Optional(model, "max_input_chars_per_word") is null ? 100 : JsonFields.Int(model, "max_input_chars_per_word", where, 1);
        return new WordPieceModel(vocab, unkId, prefix, maxChars);
    }

    public void Encode(string word, List<int> ids)
    {
        if (word.Length == 0) return;
        if (word.EnumerateRunes().Count() > _maxChars) { ids.Add(_unkId); return; }
        var pieces = new List<int>();
        int start = 0;
        while (start < word.Length)
        {
            int end = word.Length, found = -1;
            while (end > start)
            {
                var piece = start > 0 ? _prefix + word[start..end] : word[start..end];
                if (_vocab.TryGetValue(piece, out found)) break;
                end--;
                if (end > start && char.IsLowSurrogate(word[end])) end--; // never split a surrogate pair
                found = -1;
            }
            if (found < 0) { ids.Add(_unkId); return; }
            pieces.Add(found);
            start = end;
        }
        ids.AddRange(pieces);
    }
}
