using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// A caller of Advance may ask for the next-token log-probs of only some tokens per row: the
/// values must be bitwise the full row's, in process and through the isolated host (which then
/// ships only them), and reading a token nobody asked for is a clear error, not a wrong number.
/// </summary>
public sealed class WantedNextLogProbsTests : IDisposable
{
    /// <summary>GPT-2's vocabulary: what makes full rows expensive.</summary>
    const int Gpt2Vocab = 50_257;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    string Gpt2SizedModel() => FactoredBigramOnnxModel.Write(_dir.File("factored.onnx"), Gpt2Vocab);

    [Fact]
    public void Wanted_log_probs_are_the_full_rows_entries_in_process_and_isolated()
    {
        string path = Gpt2SizedModel();
        using var inProcess = OnnxLanguageModel.Open(path);
        using var isolated = IsolatedLanguageModel.Open(path);
        int[][] rows = [[1, 2], [50_000, 7], [3, 3]];
        int[][] wanted = [[0, 50_256, 17], [5, 5], []];
        var full = inProcess.Advance(Enumerable.Repeat(inProcess.Initial, 3).ToArray(), rows);
        foreach (LanguageModel lm in new LanguageModel[] { inProcess, isolated })
        {
            var picked = lm.Advance(Enumerable.Repeat(lm.Initial, 3).ToArray(), rows, wanted, out var tokenLogProbs);
            for (int r = 0; r < rows.Length; r++)
            {
                Assert.NotNull(picked[r].Wanted);
                foreach (int token in wanted[r])
                    Assert.Equal(BitConverter.SingleToInt32Bits(full[r].NextLogProbs[token]), BitConverter.SingleToInt32Bits(picked[r].NextLogProb(token)));
                Assert.Equal(2, tokenLogProbs[r].Length);
            }
            // Feeding after a wanted-only state reads the fed token's log-prob from what was asked.
            inProcess.Advance([full[0]], [[17]], out var expected);
            lm.Advance([picked[0]], [[17]], out var actual);
            Assert.Equal(expected[0][0], actual[0][0]);
        }
    }

    [Fact]
    public void Reading_a_token_that_was_not_asked_for_is_a_clear_error()
    {
        string path = Gpt2SizedModel();
        using var isolated = IsolatedLanguageModel.Open(path);
        var state = isolated.Advance([isolated.Initial], [[1, 2]], [[4, 9]])[0];
        var e = Assert.Throws<InvalidOperationException>(() => state.NextLogProb(5));
        Assert.Contains("token 5 was not asked for", e.Message);
        Assert.Contains("4, 9", e.Message);
        Assert.Contains("NextLogProb(token)", Assert.Throws<InvalidOperationException>(() => state.NextLogProbs).Message);
        // Feeding a token the state has no log-prob for, asking for per-token log-probs, is the same bug.
        Assert.Throws<InvalidOperationException>(() => isolated.Advance([state], [[5]], out _));
    }

    [Fact]
    public void Wanted_tokens_outside_the_vocabulary_or_of_the_wrong_count_are_refused_before_the_host_sees_them()
    {
        using var isolated = IsolatedLanguageModel.Open(Gpt2SizedModel());
        Assert.Throws<ArgumentOutOfRangeException>(() => isolated.Advance([isolated.Initial], [[1]], [[Gpt2Vocab]]));
        Assert.Throws<ArgumentException>(() => isolated.Advance([isolated.Initial], [[1]], [[1], [2]]));
        // The host was not disturbed.
        Assert.Equal(2, isolated.Advance([isolated.Initial], [[1, 2]], [[3]])[0].History.Length);
    }

    /// <summary>
    /// The exact-rank search asks the host for only each node's children; its rank and NLLs must
    /// be bitwise those of a walk over the in-process model's full rows.
    /// </summary>
    [Fact]
    public void Exact_rank_through_the_host_with_wanted_answers_equals_in_process_full_rows()
    {
        string path = Gpt2SizedModel();
        // Tokens spread over the whole vocabulary, three deep: 6 x 5 x 4 = 120 candidates.
        int[] first = [11, 9_000, 20_001, 33_333, 45_678, 50_256], second = [2, 777, 25_000, 40_404, 50_100], third = [0, 12_345, 30_000, 49_999];
        var trie = ExplicitCandidateTrie.Build(first.Length * second.Length * third.Length,
            i => [first[i / 20], second[i / 4 % 5], third[i % 4]]);
        int[] prefix = [464, 3290];

        using var inProcess = OnnxLanguageModel.Open(path);
        var fullRowNlls = new Dictionary<long, double>();
        WalkFullRows(inProcess, trie, trie.Root, inProcess.Advance([inProcess.Initial], [prefix])[0], 0, fullRowNlls);

        using var isolated = IsolatedLanguageModel.Open(path);
        var isolatedRoot = isolated.Advance([isolated.Initial], [prefix])[0];
        var inProcessRoot = inProcess.Advance([inProcess.Initial], [prefix])[0];
        foreach (long secret in new long[] { 0, 57, 119 })
        {
            long expectedRank = 1 + fullRowNlls.Count(kv => kv.Key != secret && kv.Value <= fullRowNlls[secret]);
            foreach (bool prune in new[] { true, false })
            {
                var viaHost = new ExactRankSearch(isolated, batch: 7).Rank(isolatedRoot, trie, secret, prune);
                var local = new ExactRankSearch(inProcess, batch: 7).Rank(inProcessRoot, trie, secret, prune);
                Assert.Equal(local, viaHost);
                Assert.Equal(expectedRank, viaHost.Rank);
                Assert.Equal(BitConverter.DoubleToInt64Bits(fullRowNlls[secret]), BitConverter.DoubleToInt64Bits(viaHost.SecretNll));
            }
        }
    }

    /// <summary>Every leaf's NLL by a plain recursive walk that reads full rows, summed as the search sums.</summary>
    static void WalkFullRows(LanguageModel lm, CandidateTrie trie, TrieNode node, LmState state, double nll, Dictionary<long, double> leafNlls)
    {
        foreach (var (token, child) in trie.Children(node))
        {
            double childNll = nll - state.NextLogProbs[token];
            if (trie.IsLeaf(child)) leafNlls[trie.CandidateOf(child)] = childNll;
            else WalkFullRows(lm, trie, child, lm.Advance([state], [[token]])[0], childNll, leafNlls);
        }
    }
}
