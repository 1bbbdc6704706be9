using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// The tokenizer.json Unigram model (T5, ALBERT, XLNet style): each word is split into the pieces whose
/// scores (log-probabilities) sum highest, by Viterbi over every vocabulary piece that starts at each
/// character; a character no piece covers is the unknown token, scored 10 below the lowest piece,
/// and consecutive unknowns fuse into one, as the Rust tokenizers do. With <c>byte_fallback</c> an
/// unknown becomes its UTF-8 byte pieces instead.
/// </summary>
/// <remarks>
/// Written here rather than taken from Microsoft.ML.Tokenizers 3.0.0's
/// <c>SentencePieceTokenizer.CreateFromTokenizerJson</c>: that one keeps one unknown per character and
/// reads a WhitespaceSplit pre-tokenizer as SentencePiece's space collapsing, so "user\nhi" keeps the
/// newline as an unknown where the reference splits there (checked against transformers.js).
/// </remarks>
internal sealed class UnigramModel
{
    sealed class Node
    {
        public Dictionary<char, Node>? Next;
        public int Id = -1;
    }

    const double UnknownPenalty = 10.0;

    readonly Node _root = new();
    readonly double[] _scores;
    readonly int _unkId;
    readonly double _unkScore;
    readonly int[] _byteIds;
    readonly bool _byteFallback;

    UnigramModel(List<(string Piece, double Score)> vocab, int unkId, bool byteFallback)
    {
        Vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        _scores = new double[vocab.Count];
        for (int id = 0; id < vocab.Count; id++)
        {
            var (piece, score) = vocab[id];
            _scores[id] = score;
            if (piece.Length == 0 || !Vocabulary.TryAdd(piece, id)) continue; // the first of a repeated piece wins, as in Rust
            var node = _root;
            foreach (char c in piece)
            {
                node.Next ??= [];
                if (!node.Next.TryGetValue(c, out var child)) node.Next[c] = child = new Node();
                node = child;
            }
            node.Id = id;
        }
        _unkId = unkId;
        _unkScore = _scores.Min() - UnknownPenalty;
        _byteFallback = byteFallback;
        _byteIds = new int[256];
        for (int b = 0; b < 256; b++)
            _byteIds[b] = Vocabulary.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
    }

    public Dictionary<string, int> Vocabulary { get; }

    public static UnigramModel Create(JsonElement model, string where)
    {
        var vocab = new List<(string, double)>();
        int i = 0;
        foreach (var entry in JsonFields.Array(model, "vocab", where).EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2 || entry[0].ValueKind != JsonValueKind.String
                || !entry[1].TryGetDouble(out double score) || !double.IsFinite(score))
                throw new FormatException($"{where}.vocab[{i}] must be [piece, finite score]");
            if (i >= ModelVocabulary.MaxId) throw new FormatException($"{where}.vocab has more than {ModelVocabulary.MaxId} pieces");
            vocab.Add((entry[0].GetString()!, score));
            i++;
        }
        if (vocab.Count == 0) throw new FormatException($"{where}.vocab is empty");
        int unkId = JsonFields.Optional(model, "unk_id") is { ValueKind: JsonValueKind.Number } ? JsonFields.Int(model, "unk_id", where) : -1;
        if (unkId >= vocab.Count) throw new FormatException($"{where}.unk_id {unkId} is past the {vocab.Count} pieces");
        bool byteFallback = JsonFields.Bool(model, "byte_fallback", where, false);
        if (unkId < 0 && !byteFallback) throw new FormatException($"{where} has neither an unk_id nor byte_fallback: unknown characters could not be encoded");
        return new UnigramModel(vocab, unkId, byteFallback);
    }

    public void Encode(string word, List<int> ids)
    {
        if (word.Length == 0) return;
        int n = word.Length;
        // best[i]: the best score of word[..i], reached by the piece from[i]..i with id piece[i]
        var best = new double[n + 1];
        var from = new int[n + 1];
        var piece = new int[n + 1];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        for (int start = 0; start < n; start++)
        {
            if (double.IsNegativeInfinity(best[start]) || char.IsLowSurrogate(word[start]) && start > 0 && char.IsHighSurrogate(word[start - 1])) continue;
            int charEnd = start + (char.IsHighSurrogate(word[start]) && start + 1 < n && char.IsLowSurrogate(word[start + 1]) ? 2 : 1);
            bool singleChar = false;
            var node = _root;
            for (int j = start; j < n && node.Next is not null && node.Next.TryGetValue(word[j], out node); j++)
            {
                if (node.Id < 0) continue;
                if (j + 1 == charEnd) singleChar = true;
                Relax(start, j + 1, node.Id, _scores[node.Id]);
            }
            if (!singleChar) Relax(start, charEnd, -1, _unkScore); // -1: unknown, resolved below
        }

        void Relax(int start, int end, int id, double score)
        {
            double total = best[start] + score;
            if (total > best[end]) { best[end] = total; from[end] = start; piece[end] = id; }
        }

        var path = new List<(int Start, int End, int Id)>();
        for (int end = n; end > 0; end = from[end]) path.Add((from[end], end, piece[end]));
        path.Reverse();
        bool lastUnknown = false;
        foreach (var (start, end, id) in path)
        {
            if (id >= 0) { ids.Add(id); lastUnknown = false; continue; }
            if (_byteFallback && AppendBytes(word[start..end], ids)) { lastUnknown = false; continue; }
            if (_unkId < 0) throw new MemScanException($"tokenizer.json: '{word[start..end]}' has no piece and no byte pieces, and the model has no unk_id");
            if (!lastUnknown) ids.Add(_unkId);
            lastUnknown = true;
        }
    }

    bool AppendBytes(string text, List<int> ids)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Any(b => _byteIds[b] < 0)) return false;
        foreach (var b in bytes) ids.Add(_byteIds[b]);
        return true;
    }
}
