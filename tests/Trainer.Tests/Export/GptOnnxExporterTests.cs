using MemScan.Scanner.Onnx;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MemScan.Trainer.Tests.Export;

/// <summary>
/// The exported GPT graph must compute what the TorchSharp model computes, on the full sequence, when
/// decoding incrementally through past_key_values/present, and with left padding.
/// </summary>
public sealed class GptOnnxExporterTests : IDisposable
{
    const int Batch = 2;
    static readonly GptShape Shape = new(Vocab: 61, Context: 32, Dim: 16, Layers: 2, Heads: 2);
    readonly GptLm _model;
    readonly OnnxSession _session;
    readonly Random _random = new(5);

    public GptOnnxExporterTests()
    {
        torch.manual_seed(23);
        _model = new GptLm(Shape);
        // Wide random weights (LayerNorm gains included): GPT-2's 0.02 init gives near-zero
        // logits that would agree even through a wrong graph.
        using (no_grad())
            foreach (var p in _model.parameters()) nn.init.normal_(p, 0, 0.3);
        _model.eval();
        string path = Path.Combine(TinyModels.TempDir("gpt-parity"), "gpt.onnx");
        GptOnnxExporter.Export(_model, path);
        _session = OnnxSession.Open(path);
    }

    public void Dispose()
    {
        _session.Dispose();
        _model.Dispose();
    }

    [Fact]
    public void Graph_declares_hugging_face_gpt2_inputs_and_outputs()
    {
        Assert.Equal(["input_ids", "attention_mask", "position_ids", "past_key_values.0.key", "past_key_values.0.value",
            "past_key_values.1.key", "past_key_values.1.value"], _session.Inputs.Select(i => i.Name));
        Assert.Equal(["logits", "present.0.key", "present.0.value", "present.1.key", "present.1.value"], _session.Outputs.Select(o => o.Name));
        Assert.Equal("[batch_size, 2, past_sequence_length, 8]", "[" + string.Join(", ", _session.Inputs[3].Dims!) + "]");
    }

    [Fact]
    public void Full_sequence_logits_and_presents_equal_TorchSharp_within_1e_4()
    {
        const int seq = 9;
        var ids = RandomIds(Batch * seq);
        var (torchLogits, torchPresents) = RunTorch(ids, seq, null, Positions(Batch, 0, seq), Ones(Batch, seq));
        var (onnxLogits, onnxPresents) = RunOnnx(ids, seq, EmptyPast(), Positions(Batch, 0, seq), Ones(Batch, seq));
        OnnxParity.AssertClose(torchLogits, onnxLogits);
        for (int i = 0; i < torchPresents.Length; i++) OnnxParity.AssertClose(torchPresents[i], onnxPresents[i]);
    }

    [Fact]
    public void Incremental_decoding_through_presents_equals_the_full_sequence()
    {
        const int seq = 10, prefix = 6, rest = seq - prefix;
        var ids = RandomIds(Batch * seq);
        var (full, _) = RunTorch(ids, seq, null, Positions(Batch, 0, seq), Ones(Batch, seq));

        var (first, presents) = RunOnnx(Columns(ids, seq, 0, prefix), prefix, EmptyPast(), Positions(Batch, 0, prefix), Ones(Batch, prefix));
        var (second, _) = RunOnnx(Columns(ids, seq, prefix, rest), rest, presents, Positions(Batch, prefix, rest), Ones(Batch, seq));
        OnnxParity.AssertClose(LogitColumns(full, seq, 0, prefix), first);
        OnnxParity.AssertClose(LogitColumns(full, seq, prefix, rest), second);

        // TorchSharp's own cache agrees too (the trainer's model is what gets exported).
        var (torchFirst, torchPresents) = RunTorch(Columns(ids, seq, 0, prefix), prefix, null, Positions(Batch, 0, prefix), Ones(Batch, prefix));
        var (torchSecond, _) = RunTorch(Columns(ids, seq, prefix, rest), rest, torchPresents, Positions(Batch, prefix, rest), Ones(Batch, seq));
        OnnxParity.AssertClose(LogitColumns(full, seq, 0, prefix), torchFirst);
        OnnxParity.AssertClose(LogitColumns(full, seq, prefix, rest), torchSecond);
    }

    [Fact]
    public void Left_padded_rows_with_attention_mask_equal_their_unpadded_runs()
    {
        // Row 1 holds 4 real tokens after 3 pads; its positions count real tokens only (as HF's
        // generate does), and the pads get position 1 and mask 0.
        const int seq = 7, pads = 3, real = seq - pads;
        var ids = RandomIds(Batch * seq);
        var mask = Ones(Batch, seq);
        var positions = Positions(Batch, 0, seq);
        for (int t = 0; t < seq; t++)
        {
            mask[seq + t] = t < pads ? 0 : 1;
            positions[seq + t] = t < pads ? 1 : t - pads;
        }
        var (torchLogits, torchPresents) = RunTorch(ids, seq, null, positions, mask);
        var (onnxLogits, onnxPresents) = RunOnnx(ids, seq, EmptyPast(), positions, mask);
        OnnxParity.AssertClose(torchLogits, onnxLogits);

        var realIds = ids.Skip(seq + pads).ToArray();
        var (alone, _) = RunOnnx(realIds, real, EmptyPast(1), Positions(1, 0, real), Ones(1, real));
        OnnxParity.AssertClose(alone, onnxLogits.Skip((seq + pads) * Shape.Vocab).ToArray());

        // One more token after the padded prefix, through the cache: mask grows by one 1.
        var next = RandomIds(Batch);
        var nextMask = Enumerable.Range(0, Batch * (seq + 1)).Select(i => i % (seq + 1) == seq ? 1L : mask[i / (seq + 1) * seq + i % (seq + 1)]).ToArray();
        long[] nextPositions = [seq, real];
        var (torchNext, _) = RunTorch(next, 1, torchPresents, nextPositions, nextMask);
        var (onnxNext, _) = RunOnnx(next, 1, onnxPresents, nextPositions, nextMask);
        OnnxParity.AssertClose(torchNext, onnxNext);
        var (aloneNext, _) = RunOnnx([.. realIds, next[1]], real + 1, EmptyPast(1), Positions(1, 0, real + 1), Ones(1, real + 1));
        OnnxParity.AssertClose(LogitColumns(aloneNext, real + 1, real, 1), onnxNext.Skip(Shape.Vocab).ToArray());
    }

    (float[] Logits, float[][] Presents) RunTorch(long[] ids, int seq, float[][]? past, long[] positions, long[] mask)
    {
        int b = ids.Length / seq;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        (Tensor, Tensor)[]? pastTensors = past is null ? null : Enumerable.Range(0, Shape.Layers)
            .Select(l => (PastTensor(past[2 * l], b), PastTensor(past[2 * l + 1], b))).ToArray();
        var (logits, presents) = _model.Forward(tensor(ids, [b, seq]), pastTensors,
            tensor(positions, [b, seq]), tensor(mask, [b, mask.Length / b]));
        return (logits.data<float>().ToArray(),
            presents.SelectMany(p => new[] { p.Key.contiguous().data<float>().ToArray(), p.Value.contiguous().data<float>().ToArray() }).ToArray());
    }

    static Tensor PastTensor(float[] data, int b) =>
        tensor(data, [b, Shape.Heads, data.Length / (b * Shape.Heads * Shape.HeadDim), Shape.HeadDim]);

    (float[] Logits, float[][] Presents) RunOnnx(long[] ids, int seq, float[][] past, long[] positions, long[] mask)
    {
        int b = ids.Length / seq;
        var inputs = new List<OnnxInput>
        {
            OnnxInput.Int64(GptOnnxExporter.InputIds, ids, b, seq),
            OnnxInput.Int64(GptOnnxExporter.AttentionMask, mask, b, mask.Length / b),
            OnnxInput.Int64(GptOnnxExporter.PositionIds, positions, b, seq),
        };
        for (int l = 0; l < Shape.Layers; l++)
        {
            long pastLen = past[2 * l].Length / (b * Shape.Heads * Shape.HeadDim);
            inputs.Add(OnnxInput.Float(GptOnnxExporter.PastKey(l), past[2 * l], b, Shape.Heads, pastLen, Shape.HeadDim));
            inputs.Add(OnnxInput.Float(GptOnnxExporter.PastValue(l), past[2 * l + 1], b, Shape.Heads, pastLen, Shape.HeadDim));
        }
        string[] presentNames = Enumerable.Range(0, Shape.Layers)
            .SelectMany(l => new[] { GptOnnxExporter.PresentKey(l), GptOnnxExporter.PresentValue(l) }).ToArray();
        var outputs = _session.Run(inputs, [GptOnnxExporter.Logits, .. presentNames]);
        Assert.Equal(new long[] { b, seq, Shape.Vocab }, outputs[GptOnnxExporter.Logits].Shape);
        return (outputs[GptOnnxExporter.Logits].Data, presentNames.Select(n => outputs[n].Data).ToArray());
    }

    static float[][] EmptyPast(int b = Batch) => Enumerable.Range(0, 2 * Shape.Layers).Select(_ => Array.Empty<float>()).ToArray();

    long[] RandomIds(int n) => Enumerable.Range(0, n).Select(_ => (long)_random.Next(Shape.Vocab)).ToArray();

    static long[] Ones(int b, int width) => Enumerable.Repeat(1L, b * width).ToArray();

    static long[] Positions(int b, int start, int seq) =>
        Enumerable.Range(0, b * seq).Select(i => (long)(start + i % seq)).ToArray();

    static long[] Columns(long[] ids, int seq, int from, int count) =>
        Enumerable.Range(0, ids.Length / seq).SelectMany(r => ids.Skip(r * seq + from).Take(count)).ToArray();

    static float[] LogitColumns(float[] logits, int seq, int from, int count) =>
        Enumerable.Range(0, logits.Length / (seq * Shape.Vocab))
            .SelectMany(r => logits.Skip((r * seq + from) * Shape.Vocab).Take(count * Shape.Vocab)).ToArray();
}
