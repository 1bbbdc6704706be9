using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> (the tokenizers library's format), as published beside
/// Llama-2/3, Mistral, Qwen, Gemma, T5, BERT and most other models: added tokens split out first,
/// then the normalizer, the pre-tokenizer and the model (BPE byte-level or with byte fallback,
/// WordPiece, Unigram) on each stretch between them.
/// </summary>
/// <remarks>
/// <para><see cref="Encode"/> adds no special tokens: MemScan scores continuations of a prefix, and the
/// post-processor's BOS (Llama-2's <c>&lt;s&gt;</c>, Gemma's <c>&lt;bos&gt;</c>) or [SEP] would sit inside
/// the scored text. What the post-processor adds is in <see cref="SpecialPrefixIds"/> and
/// <see cref="SpecialSuffixIds"/>, and <see cref="EncodeWithSpecialTokens"/> applies it.</para>
/// <para>The models run here: Microsoft.ML.Tokenizers' <c>BpeTokenizer</c> has no byte fallback and no
/// ignore_merges, and its Unigram tokenizer.json reader (3.0.0) differs from the reference on unknown
/// characters and newlines (see <see cref="UnigramModel"/>).
/// Checked id for id against transformers.js on the real Llama-2 (Mistral), Llama-3, Qwen3 and Gemma-3
/// files (tests/Scanner.Tests/Tokenizers/Fixtures). <c>tokenizer_config.json</c> is not read.</para>
/// </remarks>
public sealed class HuggingFaceTokenizer : ITextTokenizer
{
    /// <summary>The file name that marks the format, in a model folder too.</summary>
    public const string FileName = "tokenizer.json";

    public static readonly IReadOnlyList<string> Models = ["BPE", "WordPiece", "Unigram"];

    readonly AddedTokens _added;
    readonly Func<string, string>? _normalizer;
    readonly PreTokenize? _preTokenizer;
    readonly Action<string, List<int>> _model;
    readonly DecodeChain? _decoder;
    readonly string?[] _tokens;

    HuggingFaceTokenizer(string path, string kind, int vocabSize, SpecialTokenFrame frame, AddedTokens added,
        Func<string, string>? normalizer, PreTokenize? preTokenizer, Action<string, List<int>> model,
        DecodeChain? decoder, string?[] tokens)
    {
        FilePath = path;
        Kind = kind;
        VocabSize = vocabSize;
        SpecialPrefixIds = frame.Prefix;
        SpecialSuffixIds = frame.Suffix;
        _added = added;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _model = model;
        _decoder = decoder;
        _tokens = tokens;
    }

    public string FilePath { get; }
    /// <summary>e.g. "bpe byte-level (280147 merges)", "bpe byte-fallback (58980 merges)", "wordpiece", "unigram".</summary>
    public string Kind { get; }
    /// <summary>Highest id of the model's vocabulary and the added tokens, plus one (Llama-3: 128,256).</summary>
    public int VocabSize { get; }
    /// <summary>Ids the post-processor puts before a single sequence (Llama-2: [1], Llama-3's file: none).</summary>
    public IReadOnlyList<int> SpecialPrefixIds { get; }
    public IReadOnlyList<int> SpecialSuffixIds { get; }
    public IReadOnlyDictionary<string, int> AddedTokenIds => _added.All.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);

    /// <summary>Loads <paramref name="path"/>; every problem is one <see cref="MemScanException"/> line naming the file.</summary>
    public static HuggingFaceTokenizer Create(string path)
    {
        var full = TokenizerFile.Require(path, "tokenizer.json");
        try
        {
            using var stream = TokenizerFile.Open(full, "tokenizer.json");
            using var doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
            return Build(doc.RootElement, full);
        }
        catch (Exception e) when (TokenizerFile.IsLoadFailure(e))
        {
            // JsonException, our FormatException/NotSupportedException with the JSON path, and anything
            // else a hostile file provokes: one line, exit 2.
            throw new MemScanException($"tokenizer.json {full} cannot be read: {e.Message}", e);
        }
    }

    static HuggingFaceTokenizer Build(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException($"the file is a JSON {root.ValueKind}, not an object");
        var model = JsonFields.Object(root, "model", "$");
        var type = JsonFields.OptionalString(model, "type", "$.model")
                   ?? throw new FormatException($"$.model.type is missing (supported: {string.Join(", ", Models)})");
        var added = AddedTokens.Read(JsonFields.Optional(root, "added_tokens"), "$.added_tokens");
        var frame = SpecialTokenFrame.Read(JsonFields.Optional(root, "post_processor"), "$.post_processor");

        var normalizer = Normalizers.Create(JsonFields.Optional(root, "normalizer"), "$.normalizer");
        var preTokenizer = PreTokenizers.Create(JsonFields.Optional(root, "pre_tokenizer"), "$.pre_tokenizer");
        var decoder = Decoders.Create(JsonFields.Optional(root, "decoder"), "$.decoder");
        IReadOnlyDictionary<string, int> vocab;
        Action<string, List<int>> encode;
        string kind;
        switch (type)
        {
            case "BPE":
                var bpe = BpeModel.Create(model, "$.model");
                vocab = bpe.Vocabulary;
                encode = bpe.Encode;
                bool byteLevel = JsonFields.Optional(root, "pre_tokenizer")?.GetRawText().Contains("\"ByteLevel\"", StringComparison.Ordinal) == true;
                kind = $"bpe {(byteLevel ? "byte-level" : bpe.ByteFallback ? "byte-fallback" : "")} ({bpe.MergeCount} merges)".Replace("  ", " ");
                break;
            case "Unigram":
                var unigram = UnigramModel.Create(model, "$.model");
                vocab = unigram.Vocabulary;
                encode = unigram.Encode;
                kind = "unigram";
                break;
            case "WordPiece":
                var wordPiece = WordPieceModel.Create(model, "$.model");
                vocab = wordPiece.Vocabulary;
                encode = wordPiece.Encode;
                kind = "wordpiece";
                break;
            default:
                throw new NotSupportedException($"$.model.type '{type}' is not supported (supported: {string.Join(", ", Models)})");
        }
        var tokens = TokenTable(vocab, added);
        foreach (var id in frame.Prefix.Concat(frame.Suffix))
            if (id >= tokens.Length || tokens[id] is null)
                throw new FormatException($"$.post_processor adds id {id}, which is neither in the vocabulary nor an added token");
        return new HuggingFaceTokenizer(path, kind, tokens.Length, frame, added, normalizer, preTokenizer, encode, decoder, tokens);
    }

    /// <summary>Token text by id (added tokens over the model's), with null for ids nothing names.</summary>
    static string?[] TokenTable(IReadOnlyDictionary<string, int> vocab, AddedTokens added)
    {
        int max = Math.Max(vocab.Values.Max(), added.All.Count == 0 ? -1 : added.All.Max(t => t.Id));
        var tokens = new string?[max + 1];
        foreach (var (token, id) in vocab) tokens[id] = token;
        foreach (var t in added.All) tokens[t.Id] = t.Content;
        return tokens;
    }

    public int[] Encode(string text)
    {
        if (text.Length == 0) return [];
        var ids = new List<int>();
        var parts = _added.Split(text);
        for (int section = 0; section < parts.Count; section++)
        {
            var (stretch, token) = parts[section];
            if (token is not null) { ids.Add(token.Id); continue; }
            var normalized = _normalizer is null ? stretch : _normalizer(stretch);
            if (normalized.Length == 0) continue;
            if (_preTokenizer is null) { _model(normalized, ids); continue; }
            foreach (var word in _preTokenizer(normalized, section)) _model(word, ids);
        }
        return ids.ToArray();
    }

    /// <summary>What the reference's <c>encode(text, add_special_tokens: true)</c> gives: the post-processor's frame around <see cref="Encode"/>.</summary>
    public int[] EncodeWithSpecialTokens(string text) => [.. SpecialPrefixIds, .. Encode(text), .. SpecialSuffixIds];

    /// <summary>Ids outside the vocabulary (or that no token names) come back as U+FFFD.</summary>
    public string Decode(IEnumerable<int> ids) => OutOfVocabularyIds.Decode(ids, VocabSize, DecodeKnown);

    string DecodeKnown(IEnumerable<int> ids)
    {
        var tokens = ids.Select(id => _tokens[id] ?? OutOfVocabularyIds.Replacement.ToString()).ToList();
        if (tokens.Count == 0) return "";
        return _decoder is null ? string.Join(" ", tokens) : string.Concat(_decoder(tokens));
    }

    public string Describe() => $"tokenizer.json {Kind} ({VocabSize} tokens, {Path.GetFileName(FilePath)})";
}
