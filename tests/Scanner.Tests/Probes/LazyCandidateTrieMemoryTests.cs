using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

/// <summary>
/// A 10^8 subword space, which the explicit tree refused (every candidate tokenized would take
/// ~6 GB): ranked exactly over the lazy tree while it holds a bounded number of counted bytes.
/// </summary>
public class LazyCandidateTrieMemoryTests
{
    /// <summary>
    /// A subword tokenizer cheap enough to encode 10^8 candidates in a test: a space before a digit
    /// merges into it (" 1", as GPT-2 does across the prefix boundary), then digits go in pairs;
    /// every other character is its own token.
    /// </summary>
    sealed class DigitPairTokenizer : ITextTokenizer
    {
        const int SpaceDigit = 256, Pair = 266;
        public int VocabSize => Pair + 100;
        public string Describe() => "digit-pair (test)";
        public string Decode(IEnumerable<int> ids) => string.Concat(ids.Select(id => id switch
        {
            < SpaceDigit => ((char)id).ToString(),
            < Pair => " " + (char)('0' + id - SpaceDigit),
            _ => $"{(id - Pair) / 10}{(id - Pair) % 10}",
        }));

        public int[] Encode(string text)
        {
            Span<int> ids = stackalloc int[text.Length];
            int n = 0;
            for (int i = 0; i < text.Length;)
            {
                bool digitNext = i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]);
                if (text[i] == ' ' && digitNext) { ids[n++] = SpaceDigit + text[i + 1] - '0'; i += 2; }
                else if (char.IsAsciiDigit(text[i]) && digitNext) { ids[n++] = Pair + 10 * (text[i] - '0') + text[i + 1] - '0'; i += 2; }
                else ids[n++] = text[i++];
            }
            return ids[..n].ToArray();
        }
    }

    [Fact]
    public void A_memorized_secret_in_a_1e8_space_ranks_first_exactly_while_the_tree_holds_under_a_mebibyte()
    {
        var tokenizer = new DigitPairTokenizer();
        var canary = Canary.Create("pin", "my PIN is {secret}", "31415926", RandomnessSpace.Parse("digits:8"), 1);
        var tree = CandidateTries.For(tokenizer, canary);
        var trie = Assert.IsType<LazyCandidateTrie>(tree.Trie);
        Assert.Equal(100_000_000, trie.CandidateCount);
        Assert.Equal(tokenizer.Encode("my PIN is"), tree.RootTokens); // the space went into " 3"
        Assert.Equal(5, trie.MaxDepth); // " 3", "14", "15", "92", "6"

        long secret = canary.Space.IndexOf(canary.Secret);
        var path = trie.PathOf(secret).Tokens;
        Assert.Equal(tokenizer.Encode(" 31415926"), path);
        var model = new HashedLanguageModel(tokenizer.VocabSize, path);
        var root = model.Advance([model.Initial], [[0]])[0];
        var rank = new ExactRankSearch(model, 64).Rank(root, trie, secret);

        Assert.Equal(1, rank.Rank);
        Assert.Equal(100_000_000, rank.LeavesScored + rank.LeavesPruned); // pruned subtrees counted exactly by the passes
        Assert.True(rank.LeavesScored < 100, $"{rank.LeavesScored} scored");
        Assert.True(trie.PeakHeldBytes < 1 << 20, $"the tree held {trie.PeakHeldBytes:N0} bytes");
        Assert.True(trie.ApproximateBytes < 1 << 16, $"the tree holds {trie.ApproximateBytes:N0} bytes after the search");
        Assert.Equal(0, trie.HeldNodes);
        // The root's pass, then one per node on the secret's path: 10^8 + 10^7 + 10^5 + 10^3 + 10.
        Assert.Equal(110_101_010, trie.CandidatesEncoded);
    }

    [Fact]
    public void A_space_above_the_lazy_limit_is_refused_in_one_line_before_any_encoding()
    {
        var canary = Canary.Create("pin", "my PIN is {secret}", "", RandomnessSpace.Parse("digits:10"), 1);
        var e = Assert.Throws<MemScanException>(() => CandidateTries.For(new DigitPairTokenizer(), canary));
        Assert.Equal("canary 'pin': a digit-pair (test) tokenizer needs every candidate encoded once; 1e10 candidates exceed the limit of 1e9", e.Message);
    }
}
