using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Models;
using Xunit;

namespace MemScan.Scanner.Tests.Onnx;

/// <summary>
/// Sessions open without ONNX Runtime's memory pattern (a pre-planned block per set of input
/// shapes, which MemScan's ever-changing shapes never reuse; on the float16 124M export it held
/// 1.6x float32's search memory): the answers are bitwise those with it, float16 caches included.
/// </summary>
public sealed class MemoryPatternTests : IDisposable
{
    const int Vocab = 48;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sessions_open_without_the_memory_pattern_by_default() =>
        Assert.False(OnnxSessionOptions.Default.MemoryPattern);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ranks_extraction_and_decoding_are_bitwise_those_with_the_memory_pattern(bool half)
    {
        string path = CacheSumOnnxModel.Write(_dir.File($"cache-{half}.onnx"), Vocab, half: half);
        var answers = new List<(ExactRank Rank, long[] Nlls, int[][] Decoded, int[] Bits)>();
        foreach (bool pattern in new[] { false, true })
        {
            using var model = OnnxLanguageModel.Open(path, null, new OnnxSessionOptions { IntraOpThreads = 1, MemoryPattern = pattern });
            model.MaxBatch = 50; // batches of varying size and history: the shapes a pattern plans for
            var root = model.Advance([model.Initial], [[1, 2, 3]])[0];
            var trie = new UniformCandidateTrie([5, 6, 7, 8, 9, 10], 4);
            var rank = new ExactRankSearch(model, batch: 50).Rank(root, trie, 777, prune: false);
            var extraction = new ExtractionSearch(model).Run(root, trie, 300, long.MaxValue);
            int[][] prompts = [[1, 2], [3, 4, 5], [6]];
            var decoded = model.Decode(new DecodeRequest(Enumerable.Repeat(model.Initial, prompts.Length).ToArray(), prompts, 6));
            answers.Add((rank, extraction.Extracted.Select(e => BitConverter.DoubleToInt64Bits(e.Nll)).ToArray(),
                decoded.Tokens, decoded.LogProbs.SelectMany(row => row.Select(BitConverter.SingleToInt32Bits)).ToArray()));
        }
        Assert.Equal(answers[1].Rank, answers[0].Rank);
        Assert.Equal(answers[1].Nlls, answers[0].Nlls);
        Assert.Equal(answers[1].Decoded, answers[0].Decoded);
        Assert.Equal(answers[1].Bits, answers[0].Bits);
        Assert.True(answers[0].Nlls.Length > 100, $"{answers[0].Nlls.Length} candidates extracted");
    }
}
