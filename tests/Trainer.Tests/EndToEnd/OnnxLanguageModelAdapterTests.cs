using MemScan.Scanner.Models;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>
/// The Scanner's <see cref="OnnxLanguageModel"/> drives the Trainer's exports by reading their
/// graphs alone: GPT (past_key_values/present, attention_mask, position_ids) and char-LSTM (h/c).
/// Incremental log-probabilities must equal the TorchSharp model's full-sequence ones.
/// </summary>
public class OnnxLanguageModelAdapterTests
{
    [Fact]
    public void Gpt_export_decodes_incrementally_with_the_log_probs_of_a_full_sequence_run()
    {
        torch.manual_seed(3);
        var shape = new GptShape(Vocab: 53, Context: 24, Dim: 16, Layers: 2, Heads: 4);
        using var model = new GptLm(shape);
        using (no_grad())
            foreach (var p in model.parameters()) nn.init.normal_(p, 0, 0.3);
        model.eval();
        string path = Path.Combine(TinyModels.TempDir("gpt-adapter"), "gpt.onnx");
        GptOnnxExporter.Export(model, path);

        using var lm = OnnxLanguageModel.Open(path);
        Assert.True(lm.Incremental);
        Assert.Equal(shape.Vocab, lm.VocabSize);
        Assert.Contains("4 growing key/value cache tensor(s), attention_mask, position_ids", lm.Mode);
        AssertIncrementalEqualsFull(lm, Sequences(shape.Vocab, rows: 3, length: 12), ids => FullLogits(ids, x => model.Forward(x).Logits));
    }

    [Fact]
    public void Char_lstm_export_still_decodes_incrementally_through_h_and_c()
    {
        torch.manual_seed(4);
        var shape = new CharLstmShape(Vocab: 29, Embedding: 8, Hidden: 16, Layers: 2);
        using var model = new CharLstmLm(shape);
        model.eval();
        string path = Path.Combine(TinyModels.TempDir("lstm-adapter"), "lstm.onnx");
        CharLstmOnnxExporter.Export(model, path);

        using var lm = OnnxLanguageModel.Open(path);
        Assert.True(lm.Incremental);
        Assert.Contains("2 recurrent state tensor(s)", lm.Mode);
        AssertIncrementalEqualsFull(lm, Sequences(shape.Vocab, rows: 3, length: 12), ids => FullLogits(ids, x => model.forward(x, null).Logits));
    }

    internal static int[][] Sequences(int vocab, int rows, int length)
    {
        var random = new Random(rows * 31 + length);
        return Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(vocab)).ToArray()).ToArray();
    }

    /// <summary>Log-softmax of the model's logits over each whole sequence: [row][position][vocab].</summary>
    internal static float[][][] FullLogits(int[][] sequences, Func<Tensor, Tensor> logitsOf)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int b = sequences.Length, t = sequences[0].Length;
        var x = tensor(sequences.SelectMany(s => s.Select(i => (long)i)).ToArray(), [b, t]);
        var logProbs = nn.functional.log_softmax(logitsOf(x), -1);
        long v = logProbs.shape[2];
        var data = logProbs.data<float>().ToArray();
        return Enumerable.Range(0, b).Select(r => Enumerable.Range(0, t)
            .Select(p => data.AsSpan((int)((r * t + p) * v), (int)v).ToArray()).ToArray()).ToArray();
    }

    /// <summary>
    /// Feeds the sequences in uneven chunks (5, 1, 4, 2 tokens), one row a step behind the others
    /// so rows of different history lengths share Advance calls, and compares every token's
    /// log-probability and the final next-token distribution with the full-sequence run.
    /// </summary>
    internal static void AssertIncrementalEqualsFull(LanguageModel lm, int[][] sequences, Func<int[][], float[][][]> full)
    {
        var expected = full(sequences);
        int rows = sequences.Length, length = sequences[0].Length;
        var states = Enumerable.Repeat(lm.Initial, rows).ToArray();
        var got = Enumerable.Range(0, rows).Select(_ => new List<float>()).ToArray();
        int[][] cuts = [[5, 1, 4, 2], [5, 1, 4, 2], [3, 3, 4, 2]];
        for (int step = 0; step < 4; step++)
        {
            var chunks = Enumerable.Range(0, rows).Select(r =>
            {
                int from = cuts[r].Take(step).Sum();
                return sequences[r][from..(from + cuts[r][step])];
            }).ToArray();
            states = lm.Advance(states, chunks, out var logProbs);
            for (int r = 0; r < rows; r++) got[r].AddRange(logProbs[r]);
        }
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(sequences[r], states[r].History);
            Assert.True(float.IsNaN(got[r][0]));
            for (int p = 1; p < length; p++)
                Assert.True(Math.Abs(expected[r][p - 1][sequences[r][p]] - got[r][p]) <= 1e-4,
                    $"row {r} token {p}: incremental log-prob {got[r][p]} vs full {expected[r][p - 1][sequences[r][p]]}");
            double worst = expected[r][length - 1].Zip(states[r].NextLogProbs, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-4, $"row {r}: next-token log-probs differ by {worst:E2}");
        }
        var oneShot = lm.TokenLogProbs(sequences);
        for (int r = 0; r < rows; r++)
            for (int p = 1; p < length; p++)
                Assert.True(Math.Abs(oneShot[r][p - 1] - got[r][p]) <= 1e-4, $"row {r} token {p}: one-shot vs incremental");
    }
}
