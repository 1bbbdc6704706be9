using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Onnx;
using MemScan.Scanner.Tests.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// A float16 model's outputs are written by ONNX Runtime into reused float16 buffers, as a float
/// model's are into float ones: its logits path holds half the bytes of the same model in float
/// (no full-size float copy of a half output), and answers bitwise what the copying path did.
/// </summary>
public sealed class HalfOutputBuffersTests : IDisposable
{
    const int Vocab = 300;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_half_model_binds_half_buffers_holding_at_most_half_the_float_models_bytes()
    {
        using var single = OnnxLanguageModel.Open(TinyLstmOnnxModel.Write(_dir.File("float.onnx"), Vocab));
        using var half = OnnxLanguageModel.Open(TinyLstmOnnxModel.Write(_dir.File("half.onnx"), Vocab, half: true));
        int[][] rows = Enumerable.Range(0, 32).Select(i => new[] { i, i + 1, i + 2, 7 }).ToArray();
        foreach (var lm in new[] { single, half })
            lm.Advance(Enumerable.Repeat(lm.Initial, rows.Length).ToArray(), rows, out _);
        Assert.True(single.OutputBufferBytes > 0 && half.OutputBufferBytes > 0, "both models ran with bound output buffers");
        Assert.True(half.OutputBufferBytes * 2 <= single.OutputBufferBytes * 1.1,
            $"float16 buffers {half.OutputBufferBytes:N0} bytes vs float {single.OutputBufferBytes:N0}");
    }

    /// <summary>
    /// On the CPU, ONNX Runtime computes a float16 model in float (casts in and out), so a run's
    /// budget counts each float16 element of logits and caches with its float twin: 6 bytes, 1.5x
    /// the float model's 4, and the same budget gives the half model fewer rows per run, not twice as many.
    /// </summary>
    [Fact]
    public void A_half_models_run_counts_the_float_twins_ONNX_Runtime_makes_on_the_cpu()
    {
        using var single = OnnxLanguageModel.Open(TinyLstmOnnxModel.Write(_dir.File("float.onnx"), Vocab));
        using var half = OnnxLanguageModel.Open(TinyLstmOnnxModel.Write(_dir.File("half.onnx"), Vocab, half: true));
        // The float row each log-softmax writes is float in both: take it out before comparing.
        long FloatRow(OnnxLanguageModel lm) => (long)lm.VocabSize * sizeof(float);
        long floatBytes = single.RunBytesPerRow(5, 3) - FloatRow(single), halfBytes = half.RunBytesPerRow(5, 3) - FloatRow(half);
        Assert.Equal(floatBytes * 3 / 2, halfBytes);
        single.RunBudgetBytes = half.RunBudgetBytes = 64 * single.RunBytesPerRow(5, 3);
        Assert.True(half.RowsPerRun(5, 3) < single.RowsPerRun(5, 3), $"half {half.RowsPerRun(5, 3)} rows per run vs float {single.RowsPerRun(5, 3)}");
    }

    [Fact]
    public void Bound_half_outputs_answer_bitwise_what_the_copied_ones_did()
    {
        using var lm = OnnxLanguageModel.Open(TinyLstmOnnxModel.Write(_dir.File("half.onnx"), Vocab, half: true));
        var root = lm.Advance([lm.Initial], [[1, 2, 3]])[0];
        Assert.IsType<Microsoft.ML.OnnxRuntime.Float16[]>(root.Tensors[0]);
        var trie = new UniformCandidateTrie([5, 6, 7, 8, 9], 4);
        int[][] rows = [[4, 5, 6], [9, 9, 9]];
        (ExactRank, long[], float[][], float[]) Answers()
        {
            var rank = new ExactRankSearch(lm, batch: 16).Rank(root, trie, 123, prune: false);
            var extracted = new ExtractionSearch(lm, batch: 16).Run(root, trie, 50, long.MaxValue).Extracted.Select(e => BitConverter.DoubleToInt64Bits(e.Nll)).ToArray();
            var states = lm.Advance([root, root], rows, out var tokenLogProbs);
            return (rank, extracted, tokenLogProbs, states[0].NextLogProbs);
        }
        lm.ReuseOutputBuffers = false;
        var copied = Answers();
        lm.ReuseOutputBuffers = true;
        var bound = Answers();
        Assert.Equal(copied.Item1, bound.Item1);
        Assert.Equal(copied.Item2, bound.Item2);
        Assert.Equal(copied.Item3.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits), bound.Item3.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(copied.Item4.Select(BitConverter.SingleToInt32Bits), bound.Item4.Select(BitConverter.SingleToInt32Bits));
        Assert.True(lm.OutputBufferBytes > 0);
    }
}
