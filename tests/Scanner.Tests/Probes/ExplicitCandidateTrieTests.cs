using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

public class ExplicitCandidateTrieTests
{
    [Fact]
    public void A_gpt2_tree_holds_every_candidate_once_with_its_real_tokens()
    {
        var gpt2 = Gpt2BpeTokenizer.CreateDefault();
        var canary = Canary.Create("pin", "my PIN is {secret}", "0042", RandomnessSpace.Parse("digits:4"), 1);
        var tree = CandidateTries.For(gpt2, canary);
        Assert.Equal(10_000, tree.Trie.CandidateCount);
        foreach (long i in new long[] { 0, 42, 1234, 9999 })
        {
            var (leaf, tokens) = tree.Trie.PathOf(i);
            Assert.Equal(i, tree.Trie.CandidateOf(leaf));
            int[] joined = [.. tree.RootTokens, .. tokens];
            Assert.Equal(gpt2.Encode("my PIN is " + canary.Space.At(i)), joined);
        }
    }

    [Fact]
    public void Exact_rank_over_an_explicit_tree_equals_brute_force()
    {
        // Paths of uneven length, as BPE makes them.
        int[][] paths = [[1], [2, 1], [2, 2], [3, 1, 1], [3, 1, 2], [3, 2], [4]];
        var trie = ExplicitCandidateTrie.Build(paths.Length, i => paths[i]);
        var model = new HashedLanguageModel(5);
        var root = model.Advance([model.Initial], [[0]])[0];
        model.Advance(Enumerable.Repeat(root, paths.Length).ToArray(), paths, out var lp);
        var nlls = lp.Select(row => -row.Sum(v => (double)v)).ToArray();
        for (int secret = 0; secret < paths.Length; secret++)
        {
            long expected = 1 + nlls.Where((v, i) => i != secret && v <= nlls[secret]).Count();
            Assert.Equal(expected, new ExactRankSearch(model, 2).Rank(root, trie, secret).Rank);
            Assert.Equal(expected, new ExactRankSearch(model, 2).Rank(root, trie, secret, prune: false).Rank);
        }
    }

    [Theory]
    [InlineData(new[] { 1, 2 }, new[] { 3 }, new[] { 1, 2 })] // duplicates below a shared first token
    [InlineData(new[] { 5 }, new[] { 3 }, new[] { 5 })]       // duplicates of one token, which end where they split
    public void Two_candidates_with_one_path_are_refused_with_the_callers_explanation(int[] a, int[] b, int[] c)
    {
        int[][] paths = [a, b, c];

        var e = Assert.Throws<MemScanException>(() => ExplicitCandidateTrie.Build(3, i => paths[i], (x, y) => $"same path: {Math.Min(x, y)} and {Math.Max(x, y)}"));

        Assert.Equal("same path: 0 and 2", e.Message);
    }
}
