using System.Diagnostics;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tokenizers;
using MemScan.Scanner.Tokenizers.HuggingFace;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// tokenizer.json files come with third-party models: each hostile or broken one is refused with one
/// line naming the file and what is wrong (exit code 2 in the CLI), never loaded half-right.
/// </summary>
public sealed class HostileTokenizerJsonTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>A valid byte-level BPE over "ab": the 256 byte symbols, "ab" and one merge.</summary>
    internal static string Valid(string? model = null, string extra = "") =>
        "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":258,\"content\":\"<|end|>\",\"special\":true}]," +
        "\"normalizer\":{\"type\":\"NFC\"}," +
        "\"pre_tokenizer\":" + PreTokenizer + "," +
        "\"post_processor\":{\"type\":\"ByteLevel\"},\"decoder\":{\"type\":\"ByteLevel\"}" + extra + "," +
        "\"model\":" + (model ?? ValidModel) + "}";

    /// <summary>Split on letters, spaces and single others, then ByteLevel without its own regex (as Llama-3 and Qwen do).</summary>
    internal const string PreTokenizer =
        "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\p{L}+|\\\\s+|\\\\S\"},\"behavior\":\"Isolated\",\"invert\":false}," +
        "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"use_regex\":false}]}";

    static string ValidModel => "{\"type\":\"BPE\",\"vocab\":{" +
        string.Join(",", Gpt2BpeTokenizer.ByteAlphabet().Select((c, i) => $"{System.Text.Json.JsonSerializer.Serialize(c.ToString())}:{i}")) +
        ",\"ab\":256,\"abab\":257},\"merges\":[\"a b\",\"ab ab\"]}";

    string Write(string json, string name = "tokenizer.json") { var p = _dir.File(name); File.WriteAllText(p, json); return p; }

    MemScanException Refused(string json) => Assert.Throws<MemScanException>(() => HuggingFaceTokenizer.Create(Write(json)));

    [Fact]
    public void The_valid_file_loads_and_encodes()
    {
        var tokenizer = HuggingFaceTokenizer.Create(Write(Valid()));

        Assert.Equal([257, 256, 258, 65], tokenizer.Encode("ababab<|end|>A"));
        Assert.Equal("ababab<|end|>A", tokenizer.Decode([257, 256, 258, 65]));
        Assert.Equal(259, tokenizer.VocabSize);
    }

    [Theory]
    [InlineData("{\"model\": ", "is not valid JSON|cannot be read")]
    [InlineData("[1, 2, 3]", "not an object")]
    [InlineData("{\"added_tokens\": []}", "$.model must be an object")]
    public void Broken_json_is_refused_with_one_line_naming_the_file(string json, string expected)
    {
        var e = Refused(json);

        Assert.Contains(_dir.File("tokenizer.json"), e.Message);
        Assert.Contains(expected.Split('|'), part => e.Message.Contains(part));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Unsupported_components_are_refused_by_name_with_what_is_supported()
    {
        Assert.Contains("normalizer type 'Lowercase2' is not supported (supported: Sequence, NFC",
            Refused(Valid().Replace("{\"type\":\"NFC\"}", "{\"type\":\"Lowercase2\"}")).Message);
        Assert.Contains("normalizer type 'Precompiled' (a SentencePiece charsmap, as in T5 and ALBERT files) is not supported; give the model's SentencePiece file instead (--tokenizer FILE.model)",
            Refused(Valid().Replace("{\"type\":\"NFC\"}", "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"\"}")).Message);
        Assert.Contains("normalizer NFKC needs Unicode's compatibility decompositions",
            Refused(Valid().Replace("{\"type\":\"NFC\"}", "{\"type\":\"NFKC\"}")).Message);
        Assert.Contains("$.model.type 'WordLevel' is not supported (supported: BPE, WordPiece, Unigram)",
            Refused(Valid(ValidModel.Replace("\"BPE\"", "\"WordLevel\""))).Message);
        Assert.Contains("$.decoder: decoder type 'CTC' is not supported",
            Refused(Valid().Replace("\"decoder\":{\"type\":\"ByteLevel\"}", "\"decoder\":{\"type\":\"CTC\"}")).Message);
    }

    [Fact]
    public void Ids_past_four_million_are_refused_before_any_table_is_sized_by_them()
    {
        var watch = Stopwatch.StartNew();
        Assert.Contains("ids must be integers from 0 to 4000000", Refused(Valid(ValidModel.Replace("\"abab\":257", "\"abab\":2000000000"))).Message);
        Assert.Contains("$.added_tokens[0].id 2000000000 is above 4000000", Refused(Valid().Replace("\"id\":258", "\"id\":2000000000")).Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Merges_that_do_not_belong_to_the_vocabulary_and_post_processor_ids_that_name_nothing_are_refused()
    {
        Assert.Contains("'zz' is not in the vocabulary (the merges do not belong to this vocabulary)",
            Refused(Valid(ValidModel.Replace("\"ab ab\"", "\"z z\""))).Message);
        Assert.Contains("$.post_processor adds id 9999, which is neither in the vocabulary nor an added token",
            Refused(Valid().Replace("\"post_processor\":{\"type\":\"ByteLevel\"}",
                "\"post_processor\":{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":\"<s>\"}},{\"Sequence\":{\"id\":\"A\"}}],\"special_tokens\":{\"<s>\":{\"ids\":[9999]}}}")).Message);
        Assert.Contains("is not a regex .NET can compile",
            Refused(Valid().Replace("\\\\p{L}+|\\\\s+|\\\\S", "(unclosed")).Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_instead_of_recursing()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"type\":\"Sequence\",\"normalizers\":[", 200)) + "{\"type\":\"NFC\"}" + string.Concat(Enumerable.Repeat("]}", 200));

        Assert.Contains("cannot be read", Refused(Valid().Replace("{\"type\":\"NFC\"}", nested)).Message);
    }

    [Fact]
    public void A_catastrophic_split_regex_ends_with_one_line_instead_of_hanging()
    {
        // Files get CodePointRegex.MatchTimeout (10 s); a shorter one keeps the test fast.
        var regex = new CodePointRegex("(a+)+$", TimeSpan.FromMilliseconds(200));

        var e = Assert.Throws<MemScanException>(() => regex.Matches(new string('a', 40) + "!"));

        Assert.Contains("tokenizer.json regex '(a+)+$' took over 0.2 s on a text of 41 characters", e.Message);
        Assert.Equal(TimeSpan.FromSeconds(10), CodePointRegex.MatchTimeout);
    }

    [Fact]
    public void A_65_MiB_tokenizer_json_is_refused_from_its_size_given_directly_in_a_folder_or_by_a_manifest()
    {
        var path = _dir.File("big/tokenizer.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = File.Create(path)) stream.SetLength(65L << 20);
        const string expected = "is 68157440 bytes; the limit is 67108864 (64 MiB)";

        Assert.Contains(expected, Assert.Throws<MemScanException>(() => TokenizerFactory.FromCli(path)).Message);
        Assert.Contains(expected, Assert.Throws<MemScanException>(() => TokenizerFactory.FromCli(Path.GetDirectoryName(path)!)).Message);
        Assert.Contains(expected, Assert.Throws<MemScanException>(() => TokenizerFactory.FromSpec(
            new TokenizerSpec { Kind = TokenizerFactory.TokenizerJsonKind, Files = ["tokenizer.json"] }, Path.GetDirectoryName(path)!)).Message);
    }

    [Fact]
    public void The_cli_refuses_a_broken_tokenizer_json_with_exit_code_2_and_one_line()
    {
        var tokenizer = Write("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a\"]}}");
        var model = TinyScanModel.Write(_dir.File("tiny")).ModelPath;

        var (code, _, stderr) = MemscanProcess.Run(["scan", model, "--tokenizer", tokenizer, "--canary", "pin {secret}", "--space", "digits:2", "--in-process"]);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("$.model.merges[0] 'a' is not two tokens separated by one space", line);
    }
}
