using System.Text;
using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

public sealed class TiktokenTokenizerTests
{
    [Fact]
    public void Cl100k_encodes_tiktoken_is_great_as_the_openai_cookbook_shows()
    {
        // The OpenAI cookbook ("How to count tokens with tiktoken") gives these 6 ids for cl100k_base.
        var path = FetchedTokenizers.TiktokenPath("cl100k_base");
        var cl100k = TiktokenTokenizer.Create(path);

        var ids = cl100k.Encode("tiktoken is great!");

        Assert.Equal([83, 1609, 5963, 374, 2294, 0], ids);
        Assert.Equal("tiktoken is great!", cl100k.Decode(ids));
        // Independent of the BPE: each id is the rank the file itself gives to that piece's bytes.
        string[] pieces = ["t", "ik", "token", " is", " great", "!"];
        var ranks = RanksOf(path, pieces);
        Assert.Equal(ids, pieces.Select(p => ranks[p]).ToArray());
    }

    [Fact]
    public void Cl100k_knows_its_encoding_size_and_special_tokens()
    {
        var cl100k = TiktokenTokenizer.Create(FetchedTokenizers.TiktokenPath("cl100k_base"));

        Assert.Equal("cl100k_base", cl100k.Encoding);
        Assert.Equal(100_277, cl100k.VocabSize);
        Assert.Equal(100_257, cl100k.SpecialTokens["<|endoftext|>"]);
        Assert.Equal("tiktoken cl100k_base (100277 tokens, cl100k_base.tiktoken)", cl100k.Describe());
    }

    [Theory]
    [InlineData("r50k_base", 50_257)]
    [InlineData("p50k_base", 50_281)]
    [InlineData("o200k_base", 200_019)]
    public void Each_fetched_encoding_loads_with_its_vocabulary_size_and_round_trips_moby_dick(string encoding, int vocab)
    {
        var tokenizer = TiktokenTokenizer.Create(FetchedTokenizers.TiktokenPath(encoding));
        var text = FetchedTokenizers.MobyDick[..20_000];

        var ids = tokenizer.Encode(text);

        Assert.Equal(vocab, tokenizer.VocabSize);
        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.All(ids, id => Assert.InRange(id, 0, vocab - 1));
    }

    [Fact]
    public void Newer_encodings_need_fewer_tokens_for_the_same_text()
    {
        var text = FetchedTokenizers.MobyDick[..50_000];
        int Count(string encoding) => TiktokenTokenizer.Create(FetchedTokenizers.TiktokenPath(encoding)).Encode(text).Length;

        int r50k = Count("r50k_base"), cl100k = Count("cl100k_base");

        Assert.True(cl100k < r50k, $"cl100k_base {cl100k} tokens, r50k_base {r50k}");
        Assert.Equal(FetchedTokenizers.Gpt2.Encode(text).Length, r50k);
    }

    [Fact]
    public void A_rank_file_whose_name_does_not_tell_the_encoding_asks_for_it()
    {
        using var dir = new TempDirectory();
        var copy = Path.Combine(dir.Path, "ranks.tiktoken");
        File.Copy(FetchedTokenizers.TiktokenPath("cl100k_base"), copy);

        var e = Assert.Throws<MemScanException>(() => TiktokenTokenizer.Create(copy));
        var named = TiktokenTokenizer.Create(copy, "cl100k_base");

        Assert.Contains("ENCODING:", e.Message);
        Assert.Contains("cl100k_base, o200k_base", e.Message);
        Assert.Equal([83, 1609, 5963, 374, 2294, 0], named.Encode("tiktoken is great!"));
    }

    [Fact]
    public void A_rank_file_named_for_another_encoding_is_refused_by_its_rank_count()
    {
        using var dir = new TempDirectory();
        var wrong = Path.Combine(dir.Path, "o200k_base.tiktoken");
        File.Copy(FetchedTokenizers.TiktokenPath("r50k_base"), wrong);

        var e = Assert.Throws<MemScanException>(() => TiktokenTokenizer.Create(wrong));

        Assert.Contains("has 50256 ranks but o200k_base has 199998", e.Message);
    }

    [Fact]
    public void Garbage_rank_files_are_reported_with_path_and_line()
    {
        using var dir = new TempDirectory();
        var bad = dir.File("cl100k_base.tiktoken", "IQ== 0\nthis is not a rank line\n");

        var e = Assert.Throws<MemScanException>(() => TiktokenTokenizer.Create(bad));

        Assert.Contains(bad, e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void An_unknown_encoding_name_lists_the_known_ones()
    {
        var e = Assert.Throws<MemScanException>(() => TiktokenTokenizer.Create(FetchedTokenizers.TiktokenPath("cl100k_base"), "gpt5_base"));

        Assert.Contains("unknown tiktoken encoding 'gpt5_base'", e.Message);
        Assert.Contains("r50k_base", e.Message);
    }

    static Dictionary<string, int> RanksOf(string path, IEnumerable<string> pieces)
    {
        var wanted = pieces.ToDictionary(p => Convert.ToBase64String(Encoding.UTF8.GetBytes(p)), p => p);
        var ranks = new Dictionary<string, int>();
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ');
            if (wanted.TryGetValue(parts[0], out var piece)) ranks[piece] = int.Parse(parts[1]);
        }
        return ranks;
    }
}
