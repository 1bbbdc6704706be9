using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Onnx;
using MemScan.Scanner.Tests.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// Wanted next-token entries and per-token log-probs taken straight off the logits (entry minus the
/// row's log-sum-exp) are bitwise the entries of the full log-softmax row that the path before
/// wrote, on a GPT-2-sized vocabulary, a key/value-cache model and a char-LSTM; and the exact-rank
/// and extraction searches give bitwise the same answers either way.
/// </summary>
public sealed class PickFromLogitsTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Models => ["gpt2-vocab", "kv-cache", "lstm"];

    OnnxLanguageModel Open(string kind) => OnnxLanguageModel.Open(kind switch
    {
        "gpt2-vocab" => FactoredBigramOnnxModel.Write(_dir.File("factored.onnx"), 50_257),
        "kv-cache" => CacheSumOnnxModel.Write(_dir.File("cache.onnx"), 48),
        _ => TinyLstmOnnxModel.Write(_dir.File("lstm.onnx"), 48),
    });

    [Theory]
    [MemberData(nameof(Models))]
    public void Picked_entries_are_the_full_rows_bitwise(string kind)
    {
        using var lm = Open(kind);
        int[][] rows = [[1, 2, 3], [40, 7, 7], [3, 3, 30]];
        int[][] wanted = [[0, lm.VocabSize - 1, 17], [5, 5], []];
        var states = Enumerable.Repeat(lm.Initial, rows.Length).ToArray();
        lm.PickFromLogits = false;
        var full = lm.Advance(states, rows, out var fullTokens);
        var before = lm.Advance(states, rows, wanted, out var beforeTokens);
        lm.PickFromLogits = true;
        var after = lm.Advance(states, rows, wanted, out var afterTokens);
        for (int r = 0; r < rows.Length; r++)
        {
            foreach (int token in wanted[r])
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(full[r].NextLogProbs[token]), BitConverter.SingleToInt32Bits(after[r].NextLogProb(token)));
                Assert.Equal(BitConverter.SingleToInt32Bits(before[r].NextLogProb(token)), BitConverter.SingleToInt32Bits(after[r].NextLogProb(token)));
            }
            Assert.Equal(fullTokens[r].Select(BitConverter.SingleToInt32Bits), afterTokens[r].Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(beforeTokens[r].Select(BitConverter.SingleToInt32Bits), afterTokens[r].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Searches_answer_bitwise_the_same_either_way(string kind)
    {
        using var lm = Open(kind);
        var root = lm.Advance([lm.Initial], [[1, 2]])[0];
        var trie = new UniformCandidateTrie([5, 6, 7, 8], 4);
        ExactRank Rank() => new ExactRankSearch(lm, batch: 16).Rank(root, trie, 77, prune: false);
        (long, long)[] Extract() => new ExtractionSearch(lm, batch: 16).Run(root, trie, 100, long.MaxValue).Extracted
            .Select(e => (e.Candidate, BitConverter.DoubleToInt64Bits(e.Nll))).ToArray();
        lm.PickFromLogits = false;
        var (rankBefore, extractedBefore) = (Rank(), Extract());
        lm.PickFromLogits = true;
        Assert.Equal(rankBefore, Rank());
        Assert.Equal(extractedBefore, Extract());
    }
}
