using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

/// <summary>
/// Exposure ranks a secret among every candidate by the tokens the model would see. Under WordPiece a
/// candidate glued to a word becomes ## pieces of that word, and the word's own piece can change
/// ("k" + "a3f" is not [k] + pieces of "a3f"), so the tree must hold exactly Encode(prefix + candidate).
/// </summary>
public sealed class WordPieceCandidateTests
{
    static WordPieceTextTokenizer Bert => FetchedTokenizers.Bert;

    [Theory]
    [InlineData("my PIN is {secret}", "digits:3")]
    [InlineData("my PIN is {secret}.", "hex:3")]
    [InlineData("the key is k{secret}", "hex:3")]     // glued: the candidate continues the word "k"
    [InlineData("card:{secret}", "digits:3")]          // punctuation splits before the candidate
    [InlineData("Code word: x-{secret}", "lower:2")]
    [InlineData("pass {secret}", "upper:2")]           // uncased: "AB" is scored as the model saw it, "ab"
    [InlineData("the code is [MASK]{secret}", "digits:3")]
    public void Every_candidate_path_in_the_tree_is_the_encoding_of_prefix_and_candidate(string template, string space)
    {
        var canary = Canary.ThirdParty("c", template, "", RandomnessSpace.Parse(space));

        var tree = CandidateTries.For(Bert, canary);

        Assert.Equal(canary.Space.Size, tree.Trie.CandidateCount);
        for (long i = 0; i < tree.Trie.CandidateCount; i++)
        {
            var (_, tokens) = tree.Trie.PathOf(i);
            Assert.Equal(Bert.Encode(canary.Prefix + canary.Space.At(i)), (int[])[.. tree.RootTokens, .. tokens]);
        }
    }

    [Fact]
    public void A_candidate_glued_to_a_word_continues_it_with_pieces_and_moves_the_boundary_back()
    {
        const string prefix = "the key is k";
        var candidates = new[] { "a3f", "000", "fff", "e1e" };

        var result = CandidateTokenization.Tokenize(Bert, prefix, candidates);
        var vocab = File.ReadAllLines(FetchedTokenizers.BertVocabPath);

        Assert.Equal(Bert.Encode("the key is k"), result.PrefixIds);
        for (int i = 0; i < candidates.Length; i++)
        {
            int shared = result.SharedPrefixLength(i);
            var tokens = result.TokensOf(i).ToArray();
            Assert.Equal(Bert.Encode(prefix + candidates[i]), (int[])[.. result.PrefixIds[..shared], .. tokens]);
            // "k..." is one word: after its first piece come ## continuations only
            var continuing = shared == result.PrefixIds.Length ? tokens : tokens[1..];
            Assert.All(continuing, id => Assert.StartsWith("##", vocab[id]));
        }
        Assert.NotEmpty(result.BoundaryMerged); // "ka3f" is not [k] + pieces: at least one candidate moves the boundary
        Assert.Equal(Bert.Encode("the key is").Length, result.ShortestSharedPrefix);
    }

    [Fact]
    public void A_space_prefix_never_merges_since_wordpiece_splits_at_whitespace()
    {
        var pins = new[] { "000000", "123456", "999999", "042042" };

        var result = CandidateTokenization.Tokenize(Bert, "my PIN is ", pins);

        Assert.Empty(result.BoundaryMerged);
        Assert.Equal(Bert.Encode("my pin is"), result.PrefixIds);
        for (int i = 0; i < pins.Length; i++) Assert.Equal(pins[i], Bert.Decode(result.TokensOf(i).ToArray()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_long_prefix_encodes_its_tail_only_when_that_gives_the_same_ids(bool lowercase)
    {
        var prefix = string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog and ", 4)) + "my pin is ";
        if (!lowercase) prefix = prefix.ToUpperInvariant();
        var pins = Enumerable.Range(0, 300).Select(i => (i * 37 % 1000).ToString("D3")).ToArray();

        var result = CandidateTokenization.Tokenize(Bert, prefix, pins);

        // Decoding an uncased encoding gives lowercase text: an upper-case prefix has no tail to cut, and encodes whole.
        Assert.Equal(lowercase, result.UsedPrefixTail);
        for (int i = 0; i < pins.Length; i++)
            Assert.Equal(Bert.Encode(prefix + pins[i]), (int[])[.. result.PrefixIds[..result.SharedPrefixLength(i)], .. result.TokensOf(i).ToArray()]);
    }

    [Fact]
    public void Candidates_an_uncased_vocabulary_cannot_tell_apart_are_refused_without_naming_them()
    {
        var canary = Canary.ThirdParty("mixed", "the code is {secret}", "aB", RandomnessSpace.Parse("chars:abAB:2"));

        var e = Assert.Throws<MemScanException>(() => CandidateTries.For(Bert, canary));

        Assert.Contains("canary 'mixed': under wordpiece (30522 tokens, uncased, vocab.txt) candidates that differ only in", e.Message);
        Assert.Contains("uncased tokenizer folds upper into lower case", e.Message);
        Assert.Matches("'a'/'A'|'A'/'a'|'b'/'B'|'B'/'b'", e.Message);
        Assert.DoesNotContain("aB", e.Message);
    }
}
