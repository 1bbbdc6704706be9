using MemScan.Scanner.Canaries;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Tokenizers;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

/// <summary>
/// The lazily expanded candidate tree is the explicit tree, node for node, on real subword
/// tokenizers (GPT-2 BPE, Llama-3's tokenizer.json), so every search over it gives the same ranks,
/// NLLs and completions; and it holds only the nodes a search holds.
/// </summary>
public class LazyCandidateTrieTests
{
    static ITextTokenizer TokenizerNamed(string name) => name switch
    {
        "gpt2" => Gpt2BpeTokenizer.CreateDefault(),
        "llama3" => FetchedHuggingFace.Load(CorpusPaths.HfLlama3),
        _ => throw new ArgumentException(name),
    };

    // "is " ends in a space, which BPE merges into the candidate's first token (" 1234");
    // "k{secret}" glues the candidate to a letter; lower and hex are not digits.
    [Theory]
    [InlineData("gpt2", "my PIN is {secret}", "digits:4")]
    [InlineData("gpt2", "the vault key is k{secret}", "digits:3")]
    [InlineData("gpt2", "code: {secret}", "lower:3")]
    [InlineData("gpt2", "my PIN is {secret}", "digits:5")]
    [InlineData("llama3", "my PIN is {secret}", "digits:4")]
    [InlineData("llama3", "the vault key is k{secret}", "hex:3")]
    [InlineData("llama3", "code: {secret}", "lower:3")]
    public void The_lazy_tree_is_the_explicit_tree_node_for_node(string tokenizerName, string template, string space)
    {
        var tokenizer = TokenizerNamed(tokenizerName);
        var canary = Canary.Create("c", template, "", RandomnessSpace.Parse(space), 1);
        var expl = CandidateTries.Explicit(tokenizer, canary);
        var lazy = CandidateTries.Lazy(tokenizer, canary);
        var trie = Assert.IsType<LazyCandidateTrie>(lazy.Trie);

        Assert.Equal(expl.RootTokens, lazy.RootTokens);
        Assert.Equal(expl.Trie.CandidateCount, trie.CandidateCount);
        Assert.Equal(expl.Trie.MaxDepth, trie.MaxDepth);
        int leaves = 0;
        var pending = new Stack<(TrieNode Explicit, TrieNode Lazy)>();
        pending.Push((expl.Trie.Root, trie.Root));
        while (pending.Count > 0)
        {
            var (e, l) = pending.Pop();
            Assert.Equal(expl.Trie.IsLeaf(e), trie.IsLeaf(l));
            Assert.Equal(expl.Trie.LeavesBelow(e), trie.LeavesBelow(l));
            if (trie.IsLeaf(l))
            {
                Assert.Equal(expl.Trie.CandidateOf(e), trie.CandidateOf(l));
                Assert.Equal(e.Depth, l.Depth);
                leaves++;
                continue;
            }
            Assert.Equal(expl.Trie.ChildTokens(e), trie.ChildTokens(l));
            foreach (var ((_, ce), (_, cl)) in expl.Trie.Children(e).Zip(trie.Children(l))) pending.Push((ce, cl));
            trie.Release(l);
        }
        Assert.Equal(trie.CandidateCount, leaves);
        Assert.Equal(0, trie.HeldNodes);
        foreach (long i in new long[] { 0, 7, trie.CandidateCount / 3, trie.CandidateCount - 1 })
        {
            var (e, l) = (expl.Trie.PathOf(i), trie.PathOf(i));
            Assert.Equal(e.Tokens, l.Tokens);
            Assert.Equal(i, trie.CandidateOf(l.Leaf));
        }
    }

    [Theory]
    [InlineData("gpt2", "my PIN is {secret}", "digits:4", 4711)]
    [InlineData("gpt2", "code: {secret}", "lower:3", 9000)]
    [InlineData("llama3", "my PIN is {secret}", "digits:4", 1234)]
    public void Ranks_nlls_and_extraction_over_the_lazy_tree_equal_the_explicit_trees(string tokenizerName, string template, string space, long secret)
    {
        var tokenizer = TokenizerNamed(tokenizerName);
        var canary = Canary.Create("c", template, "", RandomnessSpace.Parse(space), 1);
        var expl = CandidateTries.Explicit(tokenizer, canary).Trie;
        var lazy = (LazyCandidateTrie)CandidateTries.Lazy(tokenizer, canary).Trie;
        foreach (bool memorized in new[] { true, false })
        {
            var model = new HashedLanguageModel(tokenizer.VocabSize, memorized ? expl.PathOf(secret).Tokens : null);
            var root = model.Advance([model.Initial], [[0]])[0];
            foreach (long candidate in new[] { secret, secret / 2 })
                Assert.Equal(new ExactRankSearch(model, 64).Rank(root, expl, candidate), new ExactRankSearch(model, 64).Rank(root, lazy, candidate));
            var e = new ExtractionSearch(model, 32).Run(root, expl, maxCompletions: 25, maxQueries: long.MaxValue, stopAtCandidate: secret);
            var l = new ExtractionSearch(model, 32).Run(root, lazy, maxCompletions: 25, maxQueries: long.MaxValue, stopAtCandidate: secret);
            Assert.Equal(e.Extracted, l.Extracted);
            Assert.Equal(e.SecretOrder, l.SecretOrder);
            Assert.Equal(e.Queries, l.Queries);
            Assert.Equal(0, lazy.HeldNodes);
        }
    }
}
