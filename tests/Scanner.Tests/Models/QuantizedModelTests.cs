using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// Quantized language models run as ONNX Runtime runs them: QDQ (DequantizeLinear before a MatMul),
/// dynamic quantization (DynamicQuantizeLinear + MatMulInteger) and 4-bit blocks (com.microsoft
/// MatMulNBits, as GenAI's int4 exports). The same weights in float give the same log-probs
/// (MatMulNBits exactly; QDQ and dynamic quantization within the rounding of quantized
/// activations, as ONNX Runtime fuses them). A custom operator
/// domain other than ONNX Runtime's own stays refused.
/// </summary>
public sealed class QuantizedModelTests : IDisposable
{
    const int Vocab = 5, Hidden = 32, Block = 16;
    readonly TempDir _dir = new();
    readonly float[] _embed, _weight; // [Vocab, Hidden], dequantized [Hidden, Vocab]
    readonly byte[] _nibbles; // 4-bit codes of the weight, [Vocab, Hidden]
    readonly float[] _scales; // one per (output, block)

    public QuantizedModelTests()
    {
        var random = new Random(4);
        _embed = Enumerable.Range(0, Vocab * Hidden).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        _scales = Enumerable.Range(0, Vocab * (Hidden / Block)).Select(_ => (float)(0.1 + random.NextDouble() * 0.2)).ToArray();
        _nibbles = Enumerable.Range(0, Vocab * Hidden).Select(_ => (byte)random.Next(16)).ToArray();
        _weight = new float[Hidden * Vocab];
        for (int n = 0; n < Vocab; n++)
            for (int k = 0; k < Hidden; k++)
                _weight[k * Vocab + n] = (_nibbles[n * Hidden + k] - 8) * _scales[n * (Hidden / Block) + k / Block];
    }

    public void Dispose() => _dir.Dispose();

    OnnxGraphBuilder Start(string name, out string hidden)
    {
        var g = new OnnxGraphBuilder(name);
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInitializer("embed", _embed, [Vocab, Hidden]);
        hidden = g.Apply("Gather", ["embed", "input_ids"]);
        return g;
    }

    string Finish(OnnxGraphBuilder g, string file)
    {
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", Vocab);
        string path = _dir.File(file);
        g.Save(path);
        return path;
    }

    string FloatModel()
    {
        var g = Start("float", out var hidden);
        g.AddInitializer("w", _weight, [Hidden, Vocab]);
        g.AddNode("MatMul", [hidden, "w"], ["logits"]);
        return Finish(g, "float.onnx");
    }

    /// <summary>QDQ: the weight as int8 codes with one scale per output column (per-axis DequantizeLinear).</summary>
    string QdqModel(out float[] weightUsed)
    {
        var g = Start("qdq", out var hidden);
        // Per-column scale only where one scale covers the column: here every block of a column shares the first block's scale.
        var codes = new byte[Hidden * Vocab];
        var scales = new float[Vocab];
        for (int n = 0; n < Vocab; n++)
        {
            scales[n] = _scales[n * (Hidden / Block)];
            for (int k = 0; k < Hidden; k++) codes[k * Vocab + n] = unchecked((byte)(sbyte)(_nibbles[n * Hidden + k] - 8));
        }
        weightUsed = codes.Select((c, i) => (sbyte)c * scales[i % Vocab]).ToArray();
        g.AddInitializer(new TensorProto { Name = "w_q", DataType = (int)OnnxElementType.Int8, Dims = { Hidden, Vocab }, RawData = Google.Protobuf.ByteString.CopyFrom(codes) });
        g.AddInitializer("w_scale", scales, [Vocab]);
        var w = g.Apply("DequantizeLinear", ["w_q", "w_scale"], OnnxAttribute.Int("axis", 1));
        g.AddNode("MatMul", [hidden, w], ["logits"]);
        return Finish(g, "qdq.onnx");
    }

    /// <summary>Dynamic quantization: activations to uint8 at run time, an integer MatMul, rescaled to float.</summary>
    string DynamicModel(out float[] weightUsed)
    {
        var g = Start("dynamic", out var hidden);
        var codes = new byte[Hidden * Vocab];
        for (int i = 0; i < codes.Length; i++) codes[i] = (byte)(_nibbles[(i % Vocab) * Hidden + i / Vocab] + 120); // uint8 around zero point 128
        const float scale = 0.05f;
        weightUsed = codes.Select(c => (c - 128) * scale).ToArray();
        g.AddInitializer(new TensorProto { Name = "w_q", DataType = (int)OnnxElementType.UInt8, Dims = { Hidden, Vocab }, RawData = Google.Protobuf.ByteString.CopyFrom(codes) });
        g.AddInitializer(new TensorProto { Name = "w_zero", DataType = (int)OnnxElementType.UInt8, RawData = Google.Protobuf.ByteString.CopyFrom([128]) });
        var q = g.Apply("DynamicQuantizeLinear", [hidden], 3);
        var product = g.Apply("Cast", [g.Apply("MatMulInteger", [q[0], "w_q", q[2], "w_zero"])], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        g.AddNode("Mul", [product, g.Apply("Mul", [q[1], g.Constant("w_scale", [scale], [])])], ["logits"]);
        return Finish(g, "dynamic.onnx");
    }

    /// <summary>4-bit blocks: com.microsoft MatMulNBits with the weight as [N, K/block, block/2] packed nibbles, zero point 8.</summary>
    string NBitsModel()
    {
        var g = Start("nbits", out var hidden);
        int blocks = Hidden / Block;
        var packed = new byte[Vocab * blocks * Block / 2];
        for (int n = 0; n < Vocab; n++)
            for (int k = 0; k < Hidden; k += 2)
                packed[n * Hidden / 2 + k / 2] = (byte)(_nibbles[n * Hidden + k] | (_nibbles[n * Hidden + k + 1] << 4));
        g.AddInitializer(new TensorProto { Name = "w_4bit", DataType = (int)OnnxElementType.UInt8, Dims = { Vocab, blocks, Block / 2 }, RawData = Google.Protobuf.ByteString.CopyFrom(packed) });
        g.AddInitializer("w_scales", _scales, [Vocab * blocks]);
        g.UseOpset("com.microsoft", 1);
        g.AddNode("MatMulNBits", [hidden, "w_4bit", "w_scales"], ["logits"], name: null, domain: "com.microsoft",
            OnnxAttribute.Int("K", Hidden), OnnxAttribute.Int("N", Vocab), OnnxAttribute.Int("bits", 4), OnnxAttribute.Int("block_size", Block));
        return Finish(g, "nbits.onnx");
    }

    static readonly int[][] Sequences = [[0, 1, 2, 3, 4], [4, 4, 3, 1, 0]];

    static double Worst(float[][] a, float[][] b) => a.Zip(b, (x, y) => x.Zip(y, (p, q) => Math.Abs(p - q)).Max()).Max();

    [Fact]
    public void Weight_only_quantization_gives_the_log_probs_of_the_same_weights_in_float()
    {
        using var plain = OnnxLanguageModel.Open(FloatModel());
        var expected = plain.TokenLogProbs(Sequences);
        using var nbits = OnnxLanguageModel.Open(NBitsModel());
        double nbitsWorst = Worst(expected, nbits.TokenLogProbs(Sequences));
        Assert.True(nbitsWorst <= 1e-4, $"MatMulNBits log-probs differ from the float weights' by {nbitsWorst:E2}");
        Assert.Contains("quantized: com.microsoft:MatMulNBits", ModelInspection.Of(_dir.File("nbits.onnx")).Lines.Single(l => l.Label == "operators").Text);
        using var qdq = OnnxLanguageModel.Open(QdqModel(out var qdqWeight));
        var g = Start("qdq_reference", out var hidden);
        g.AddInitializer("w", qdqWeight, [Hidden, Vocab]);
        g.AddNode("MatMul", [hidden, "w"], ["logits"]);
        using var qdqReference = OnnxLanguageModel.Open(Finish(g, "qdq-reference.onnx"));
        double qdqWorst = Worst(qdqReference.TokenLogProbs(Sequences), qdq.TokenLogProbs(Sequences));
        // ONNX Runtime's QDQ fusions may run DequantizeLinear → MatMul on quantized activations
        // (measured: 2.2e-2 nats here), so QDQ agrees to within activation rounding, not exactly.
        Assert.True(qdqWorst <= 0.1, $"QDQ log-probs differ from the dequantized weights' by {qdqWorst:E2}");
        Assert.Contains("quantized: DequantizeLinear", ModelInspection.Of(_dir.File("qdq.onnx")).Lines.Single(l => l.Label == "operators").Text);
    }

    [Fact]
    public void Dynamic_quantization_runs_within_the_rounding_of_its_activations()
    {
        string path = DynamicModel(out var weight);
        var g = Start("dynamic_reference", out var hidden);
        g.AddInitializer("w", weight, [Hidden, Vocab]);
        g.AddNode("MatMul", [hidden, "w"], ["logits"]);
        using var reference = OnnxLanguageModel.Open(Finish(g, "dynamic-reference.onnx"));
        using var dynamic = OnnxLanguageModel.Open(path);
        double worst = Worst(reference.TokenLogProbs(Sequences), dynamic.TokenLogProbs(Sequences));
        Assert.InRange(worst, 1e-7, 0.1); // not exact (uint8 activations), not far
        Assert.Contains("quantized: DynamicQuantizeLinear, MatMulInteger", ModelInspection.Of(path).Lines.Single(l => l.Label == "operators").Text);
    }

    [Fact]
    public void A_custom_operator_domain_other_than_onnx_runtimes_is_refused()
    {
        var g = Start("custom", out var hidden);
        g.UseOpset("org.example.fast", 1);
        g.AddNode("FastMatMul", [hidden, hidden], ["logits"], name: null, domain: "org.example.fast");
        string path = Finish(g, "custom.onnx");
        var refusal = ModelInspection.Of(path).Refusal;
        Assert.Contains("uses custom operator domain 'org.example.fast'", refusal);
        Assert.Contains("com.microsoft", refusal);
    }
}
