using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Models;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

public class ExactRankSearchTests
{
    // Alphabet tokens 1..5 of a 6-token vocabulary; token 0 is the prefix.
    static readonly int[] Symbols = [1, 2, 3, 4, 5];
    const int Length = 4;

    static double[] BruteForceNlls(HashedLanguageModel model, UniformCandidateTrie trie)
    {
        var root = model.Advance([model.Initial], [[0]])[0];
        var paths = Enumerable.Range(0, (int)trie.CandidateCount).Select(i => trie.PathOf(i).Tokens).ToArray();
        model.Advance(Enumerable.Repeat(root, paths.Length).ToArray(), paths, out var logProbs);
        return logProbs.Select(row => -row.Sum(v => (double)v)).ToArray();
    }

    [Theory]
    [InlineData(0L, false)]
    [InlineData(17L, false)]
    [InlineData(333L, false)]
    [InlineData(624L, false)]
    [InlineData(333L, true)]
    public void Rank_equals_brute_force_with_and_without_pruning(long secret, bool memorize)
    {
        var trie = new UniformCandidateTrie(Symbols, Length);
        var model = new HashedLanguageModel(6, memorize ? trie.PathOf(secret).Tokens : null);
        var nlls = BruteForceNlls(model, trie);
        long expected = 1 + nlls.Where((v, i) => i != secret && v <= nlls[secret]).Count();

        var root = model.Advance([model.Initial], [[0]])[0];
        var search = new ExactRankSearch(model, batch: 7);
        var pruned = search.Rank(root, trie, secret, prune: true);
        var full = search.Rank(root, trie, secret, prune: false);

        Assert.Equal(expected, pruned.Rank);
        Assert.Equal(expected, full.Rank);
        Assert.Equal(trie.CandidateCount, full.LeavesScored);
        Assert.Equal(trie.CandidateCount, pruned.LeavesScored + pruned.LeavesPruned);
        Assert.Equal(nlls[secret], pruned.SecretNll, 4);
        if (memorize) Assert.Equal(1, pruned.Rank);
    }

    [Fact]
    public void Pruning_evaluates_far_fewer_prefixes_for_a_memorized_secret()
    {
        var trie = new UniformCandidateTrie(Symbols, 6);
        long secret = 4321;
        var model = new HashedLanguageModel(6, trie.PathOf(secret).Tokens);
        var root = model.Advance([model.Initial], [[0]])[0];
        var search = new ExactRankSearch(model);
        var pruned = search.Rank(root, trie, secret, prune: true);
        var full = search.Rank(root, trie, secret, prune: false);
        Assert.Equal(full.Rank, pruned.Rank);
        Assert.True(pruned.Queries * 20 < full.Queries, $"pruned {pruned.Queries} vs full {full.Queries} model rows");
    }

    [Fact]
    public void Ties_rank_references_ahead_as_TensorFlow_Privacy_does()
    {
        // TF Privacy: rank = 1 + #references with perplexity <= the secret's.
        double[] references = [1.0, 2.0, 2.0, 3.0];
        Assert.Equal(Math.Log2(4) - Math.Log2(4), ExposureMath.Interpolation(2.0, references));
        Assert.Equal(Math.Log2(4) - Math.Log2(1), ExposureMath.Interpolation(0.5, references));
        Assert.Equal(Math.Log2(4) - Math.Log2(5), ExposureMath.Interpolation(3.0, references));
    }

    [Theory]
    [InlineData(0L, 512)]
    [InlineData(17L, 7)]
    [InlineData(333L, 1)]
    [InlineData(624L, 64)]
    [InlineData(100L, 7)]
    public void Production_search_ranks_exactly_tied_candidates_ahead_of_the_secret(long secret, int batch)
    {
        // The rule as TF Privacy's exposures.py has it, on the search scans run (not a helper):
        // rank = 1 + #other candidates whose NLL is <= the secret's, ties included.
        var trie = new UniformCandidateTrie(Symbols, Length);
        var model = new TiedLanguageModel(6);
        var root = model.Advance([model.Initial], [[0]])[0];
        var paths = Enumerable.Range(0, (int)trie.CandidateCount).Select(i => trie.PathOf(i).Tokens).ToArray();
        model.Advance(Enumerable.Repeat(root, paths.Length).ToArray(), paths, out var logProbs);
        var nlls = logProbs.Select(row => -row.Sum(v => (double)v)).ToArray();
        long ties = nlls.Where((v, i) => i != secret && v == nlls[secret]).Count();
        long ahead = nlls.Where((v, i) => i != secret && v < nlls[secret]).Count();
        Assert.True(ties >= 10, $"the model must tie the secret with others to test the rule; {ties} ties");

        var search = new ExactRankSearch(model, batch);
        foreach (bool prune in new[] { true, false })
        {
            var result = search.Rank(root, trie, secret, prune);
            Assert.Equal(1 + ahead + ties, result.Rank);
            Assert.Equal(trie.CandidateCount, result.LeavesScored + result.LeavesPruned);
        }
    }
}
