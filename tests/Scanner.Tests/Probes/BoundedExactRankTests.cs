using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using MemScan.Scanner.Tests.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

/// <summary>
/// The exact-rank walk within a small memory budget: the state bytes it holds (counted) stay
/// within the budget and the ranks are those of the unbounded walk (bitwise on the char-LSTM,
/// whose rows do not depend on the batch; the rank and scored leaves exactly, the NLL to 1e-6 on
/// the key/value-cache model, whose rows may differ in the last bit with the batch).
/// </summary>
public sealed class BoundedExactRankTests : IDisposable
{
    const int Vocab = 48;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("lstm")]
    [InlineData("kv-cache")]
    public void A_small_budget_holds_its_bytes_and_ranks_the_same(string kind)
    {
        using LanguageModel model = kind == "lstm"
            ? OnnxLanguageModel.Open(TinyLstmOnnxModel.Write(_dir.File("lstm.onnx"), Vocab))
            : OnnxLanguageModel.Open(CacheSumOnnxModel.Write(_dir.File("cache.onnx"), Vocab));
        var root = model.Advance([model.Initial], [[1, 2, 3]])[0];
        long stateBytes = model.Advance([root], [[5, 5, 5, 5]])[0].TensorBytes;
        // A deep narrow tree, and a wide one (a node with 40 children, as BPE's first digit token has ~1,100).
        foreach (var (trie, secret) in new[] { (new UniformCandidateTrie([5, 6, 7, 8, 9, 10], 5), 0L), (new UniformCandidateTrie([5, 6, 7, 8, 9, 10], 5), 4321L),
                     (new UniformCandidateTrie(Enumerable.Range(5, 40).ToArray(), 3), 31_337L) })
        {
            var unboundedSearch = new ExactRankSearch(model, batch: 256);
            var unbounded = unboundedSearch.Rank(root, trie, secret, prune: false);
            // A fifth of what the walk held unbounded, and still room for a batch of one per level.
            long budget = unboundedSearch.PeakHeldBytes / 5;
            Assert.True(budget >= (trie.MaxDepth + 2) * stateBytes, $"the unbounded walk held {unboundedSearch.PeakHeldBytes:N0} bytes: too little to test a budget");
            var boundedSearch = new ExactRankSearch(model, batch: 256) { MemoryBudget = budget };
            var bounded = boundedSearch.Rank(root, trie, secret, prune: false);
            Assert.True(boundedSearch.PeakHeldBytes <= budget, $"held {boundedSearch.PeakHeldBytes:N0} bytes, budget {budget:N0}");
            Assert.Equal(unbounded.Rank, bounded.Rank);
            Assert.Equal(unbounded.LeavesScored, bounded.LeavesScored);
            Assert.Equal(unbounded.Queries, bounded.Queries);
            if (kind == "lstm") Assert.Equal(unbounded, bounded);
            else Assert.Equal(unbounded.SecretNll, bounded.SecretNll, 1e-6);
        }
    }
}
