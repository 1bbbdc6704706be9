using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// The tokenizer.json BPE model, as the Rust tokenizers run it: a word's characters are merged pair by
/// pair, lowest merge rank first and leftmost first on ties; a character not in the vocabulary becomes
/// its UTF-8 byte pieces <c>&lt;0xXX&gt;</c> with <c>byte_fallback</c> (Llama-2, Mistral, Gemma), else the
/// unknown token (consecutive ones fused with <c>fuse_unk</c>); with <c>ignore_merges</c> (Llama-3) a
/// word that is itself a token is taken whole.
/// </summary>
/// <remarks>
/// Written here because Microsoft.ML.Tokenizers' <c>BpeTokenizer</c> has neither byte fallback nor
/// ignore_merges. The merge loop keeps a heap of candidate pairs, so a long word without pre-tokenizer
/// splits (Llama-2 and Gemma pass whole stretches of text) costs O(n log n), not O(n^2).
/// </remarks>
internal sealed class BpeModel
{
    const int MaxCachedWordLength = 256;
    const int CacheCapacity = 20_000;

    readonly Dictionary<string, int> _vocab;
    readonly Dictionary<long, (int Rank, int Merged)> _merges;
    readonly int[] _byteIds; // <0xXX> piece ids, or -1
    readonly int _unkId;     // -1: none
    readonly bool _byteFallback, _fuseUnk, _ignoreMerges;
    readonly string? _continuingPrefix, _endOfWordSuffix;
    readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    readonly Dictionary<int, int> _charIds = []; // code point -> id of the one-character token, when no prefix/suffix applies

    BpeModel(Dictionary<string, int> vocab, Dictionary<long, (int, int)> merges, int unkId,
        bool byteFallback, bool fuseUnk, bool ignoreMerges, string? continuingPrefix, string? endOfWordSuffix)
    {
        _vocab = vocab;
        _merges = merges;
        _unkId = unkId;
        _byteFallback = byteFallback;
        _fuseUnk = fuseUnk;
        _ignoreMerges = ignoreMerges;
        _continuingPrefix = string.IsNullOrEmpty(continuingPrefix) ? null : continuingPrefix;
        _endOfWordSuffix = string.IsNullOrEmpty(endOfWordSuffix) ? null : endOfWordSuffix;
        _byteIds = new int[256];
        for (int b = 0; b < 256; b++)
            _byteIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
        foreach (var (token, id) in vocab)
            if (Rune.DecodeFromUtf16(token, out var rune, out int used) == System.Buffers.OperationStatus.Done && used == token.Length)
                _charIds[rune.Value] = id;
    }

    public IReadOnlyDictionary<string, int> Vocabulary => _vocab;
    public int MergeCount => _merges.Count;
    public bool ByteFallback => _byteFallback;

    public static BpeModel Create(JsonElement model, string where)
    {
        var vocab = ModelVocabulary.ReadMap(JsonFields.Object(model, "vocab", where), $"{where}.vocab");
        string? prefix = JsonFields.OptionalString(model, "continuing_subword_prefix", where);
        var merges = new Dictionary<long, (int, int)>();
        int rank = 0;
        foreach (var m in JsonFields.Array(model, "merges", where).EnumerateArray())
        {
            var (left, right) = ReadMerge(m, $"{where}.merges[{rank}]");
            var mergedToken = prefix is not null && right.StartsWith(prefix, StringComparison.Ordinal)
                ? left + right[prefix.Length..] : left + right;
            int l = Lookup(vocab, left, rank, where), r = Lookup(vocab, right, rank, where), merged = Lookup(vocab, mergedToken, rank, where);
            merges.TryAdd(Pair(l, r), (rank, merged)); // a repeated merge keeps its first (best) rank
            rank++;
        }
        var unk = JsonFields.OptionalString(model, "unk_token", where);
        int unkId = -1;
        if (unk is not null && !vocab.TryGetValue(unk, out unkId))
            throw new FormatException($"{where}.unk_token '{unk}' is not in the vocabulary");
        return new BpeModel(vocab, merges, unkId,
            JsonFields.Bool(model, "byte_fallback", where, false), JsonFields.Bool(model, "fuse_unk", where, false),
            JsonFields.Bool(model, "ignore_merges", where, false), prefix, JsonFields.OptionalString(model, "end_of_word_suffix", where));
    }

    /// <summary>A merge is "a b" (tokenizers before 0.20) or ["a", "b"] (0.20 on, which allows spaces in tokens).</summary>
    static (string, string) ReadMerge(JsonElement m, string where)
    {
        if (m.ValueKind == JsonValueKind.String)
        {
            var s = m.GetString()!;
            int space = s.IndexOf(' ');
            if (space <= 0 || space == s.Length - 1 || s.IndexOf(' ', space + 1) >= 0)
                throw new FormatException($"{where} '{Shorten(s)}' is not two tokens separated by one space");
            return (s[..space], s[(space + 1)..]);
        }
        if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2 &&
            m[0].ValueKind == JsonValueKind.String && m[1].ValueKind == JsonValueKind.String)
            return (m[0].GetString()!, m[1].GetString()!);
        throw new FormatException($"{where} must be \"a b\" or [\"a\", \"b\"]");
    }

    static int Lookup(Dictionary<string, int> vocab, string token, int rank, string where) =>
        vocab.TryGetValue(token, out int id) ? id
            : throw new FormatException($"{where}.merges[{rank}]: '{Shorten(token)}' is not in the vocabulary (the merges do not belong to this vocabulary)");

    static long Pair(int left, int right) => ((long)left << 32) | (uint)right;

    internal static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";

    /// <summary>The ids of one pre-tokenized word, appended to <paramref name="ids"/>.</summary>
    public void Encode(string word, List<int> ids)
    {
        if (word.Length == 0) return;
        if (_ignoreMerges && _vocab.TryGetValue(word, out int whole)) { ids.Add(whole); return; }
        if (_cache.TryGetValue(word, out var cached)) { ids.AddRange(cached); return; }
        var result = Merge(Symbols(word));
        if (word.Length <= MaxCachedWordLength)
        {
            if (_cache.Count >= CacheCapacity) _cache.Clear();
            _cache.TryAdd(word, result);
        }
        ids.AddRange(result);
    }

    /// <summary>The word's starting symbols: one per character, or its byte pieces, or the unknown id.</summary>
    List<int> Symbols(string word)
    {
        var symbols = new List<int>(word.Length);
        var runes = word.EnumerateRunes().ToList();
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < runes.Count; i++)
        {
            bool affixed = (i > 0 && _continuingPrefix is not null) || (i == runes.Count - 1 && _endOfWordSuffix is not null);
            int id;
            if (!affixed)
            {
                if (_charIds.TryGetValue(runes[i].Value, out id)) { symbols.Add(id); continue; }
            }
            else
            {
                var piece = runes[i].ToString();
                if (i > 0 && _continuingPrefix is not null) piece = _continuingPrefix + piece;
                if (i == runes.Count - 1 && _endOfWordSuffix is not null) piece += _endOfWordSuffix;
                if (_vocab.TryGetValue(piece, out id)) { symbols.Add(id); continue; }
            }
            if (_byteFallback)
            {
                int n = runes[i].EncodeToUtf8(utf8);
                bool all = true;
                for (int b = 0; b < n; b++) all &= _byteIds[utf8[b]] >= 0;
                if (all)
                {
                    for (int b = 0; b < n; b++) symbols.Add(_byteIds[utf8[b]]);
                    continue;
                }
            }
            if (_unkId < 0)
                throw new MemScanException(
                    $"tokenizer.json: character U+{runes[i].Value:X4} is not in the vocabulary and the model has neither byte_fallback pieces nor an unk_token");
            if (_fuseUnk && symbols.Count > 0 && symbols[^1] == _unkId) continue;
            symbols.Add(_unkId);
        }
        return symbols;
    }

    /// <summary>Applies the merges, best rank first, leftmost first among equal ranks.</summary>
    int[] Merge(List<int> start)
    {
        int n = start.Count;
        if (n < 2 || _merges.Count == 0) return start.ToArray();
        var id = start.ToArray();
        var prev = new int[n];
        var next = new int[n];
        var alive = new bool[n];
        for (int i = 0; i < n; i++) { prev[i] = i - 1; next[i] = i + 1 < n ? i + 1 : -1; alive[i] = true; }

        // Entries carry the ids they were computed for: a stale entry (a side merged since) is skipped.
        var heap = new PriorityQueue<(int Left, int LeftId, int RightId, int Merged), (int Rank, int Left)>();
        void Offer(int left)
        {
            int right = left < 0 ? -1 : next[left];
            if (right < 0) return;
            if (_merges.TryGetValue(Pair(id[left], id[right]), out var m))
                heap.Enqueue((left, id[left], id[right], m.Merged), (m.Rank, left));
        }
        for (int i = 0; i < n - 1; i++) Offer(i);

        while (heap.TryDequeue(out var c, out _))
        {
            int left = c.Left, right = next[left];
            if (!alive[left] || right < 0 || id[left] != c.LeftId || id[right] != c.RightId) continue;
            id[left] = c.Merged;
            alive[right] = false;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            Offer(prev[left]);
            Offer(left);
        }
        var result = new List<int>(n);
        for (int i = 0; i >= 0; i = next[i]) result.Add(id[i]);
        return result.ToArray();
    }
}
