using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Models;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

public class ExtractionSearchTests
{
    [Fact]
    public void Completions_come_out_in_exact_order_of_model_likelihood()
    {
        var trie = new UniformCandidateTrie([1, 2, 3, 4], 4);
        var model = new HashedLanguageModel(5);
        var root = model.Advance([model.Initial], [[0]])[0];
        var all = Enumerable.Range(0, (int)trie.CandidateCount).Select(i => trie.PathOf(i).Tokens).ToArray();
        model.Advance(Enumerable.Repeat(root, all.Length).ToArray(), all, out var lp);
        var expectedOrder = lp.Select((row, i) => (Nll: -row.Sum(v => (double)v), i)).OrderBy(x => x.Nll).Take(20).ToArray();

        var outcome = new ExtractionSearch(model, batch: 3).Run(root, trie, maxCompletions: 20, maxQueries: long.MaxValue);
        Assert.Equal(20, outcome.Extracted.Count);
        for (int k = 0; k < 20; k++) Assert.Equal(expectedOrder[k].Nll, outcome.Extracted[k].Nll, 4);
    }

    [Fact]
    public void A_memorized_secret_comes_out_first_from_a_billion_candidates_with_few_queries()
    {
        var trie = new UniformCandidateTrie(Enumerable.Range(1, 10).ToArray(), 9); // 10^9 candidates
        long secret = 271_828_182;
        var model = new HashedLanguageModel(11, trie.PathOf(secret).Tokens);
        var root = model.Advance([model.Initial], [[0]])[0];
        var outcome = new ExtractionSearch(model).Run(root, trie, maxCompletions: 10, maxQueries: 100_000, stopAtCandidate: secret);
        Assert.Equal(1, outcome.SecretOrder);
        Assert.True(outcome.Queries * 1000 < outcome.BruteForceQueries, $"{outcome.Queries} queries vs brute force {outcome.BruteForceQueries:E1}");
    }
}
