using MemScan.Scanner.Onnx;
using MemScan.Trainer.Models;
using TorchSharp;

namespace MemScan.Trainer.Export;

/// <summary>
/// Writes a <see cref="GptLm"/> as an opset-17 ONNX graph with Hugging Face GPT-2 style I/O, so the
/// scanner decodes it incrementally exactly as it would a third-party GPT-2 export.
/// </summary>
/// <remarks>
/// <para>Inputs:
/// <c>input_ids</c> int64 [batch, seq];
/// <c>attention_mask</c> int64 [batch, total_seq] (total_seq = past_seq + seq; 1 = attend, 0 = padding);
/// <c>position_ids</c> int64 [batch, seq] (past_seq + t for unpadded rows; each row's own count for left padding);
/// <c>past_key_values.{i}.key</c> / <c>.value</c> float [batch, heads, past_seq, head_dim] per layer i
/// (past_seq may be 0 on the first call).</para>
/// <para>Outputs:
/// <c>logits</c> float [batch, seq, vocab];
/// <c>present.{i}.key</c> / <c>.value</c> float [batch, heads, total_seq, head_dim] — feed them back
/// as the next call's past.</para>
/// <para>Graph: the allowed-keys mask is built once: past_seq from Shape(past_key_values.0.key)[2],
/// seq from Shape(input_ids)[1]; query positions Range(past_seq, total_seq) and key positions
/// Range(0, total_seq) give the causal part by LessOrEqual ([seq, total_seq]), And-ed with
/// Cast(attention_mask, bool) unsqueezed to [batch, 1, 1, total_seq]. The embedding is
/// Gather(wte, input_ids) + Gather(wpe, position_ids). Each block: LayerNormalization → MatMul+Add
/// (c_attn) → Split into q, k, v → Reshape [batch, seq, heads, head_dim] → Transpose to
/// [batch, heads, seq, head_dim]; k and v are Concat-ed after the past along axis 2 (these are the
/// presents); scores = MatMul(q, kᵀ)·1/√head_dim, Where(allowed, scores, -1e9), Softmax, MatMul(v),
/// Transpose+Reshape back, MatMul+Add (c_proj), residual Add; then LayerNormalization → c_fc →
/// exact GELU as 0.5·x·(1 + Erf(x/√2)) → c_proj, residual Add. Finally LayerNormalization and
/// MatMul with Transpose(wte) (the tied head; ORT folds the transpose once at load).</para>
/// <para>The rejected-key score is the finite <see cref="GptAttention.MaskedScore"/>, as in
/// TorchSharp, so fully padded query rows give finite (meaningless) logits instead of NaN.</para>
/// </remarks>
public static class GptOnnxExporter
{
    public const string InputIds = "input_ids", AttentionMask = "attention_mask", PositionIds = "position_ids", Logits = "logits";
    public const string Architecture = "gpt";

    public static string PastKey(int layer) => $"past_key_values.{layer}.key";
    public static string PastValue(int layer) => $"past_key_values.{layer}.value";
    public static string PresentKey(int layer) => $"present.{layer}.key";
    public static string PresentValue(int layer) => $"present.{layer}.value";

    const string Batch = "batch_size", Seq = "sequence_length", PastSeq = "past_sequence_length", TotalSeq = "total_sequence_length";

    public static void Export(GptLm model, string path)
    {
        var s = model.Shape;
        var g = new OnnxGraphBuilder("gpt_lm");
        g.AddInput(InputIds, OnnxElementType.Int64, Batch, Seq);
        g.AddInput(AttentionMask, OnnxElementType.Int64, Batch, TotalSeq);
        g.AddInput(PositionIds, OnnxElementType.Int64, Batch, Seq);
        for (int l = 0; l < s.Layers; l++)
        {
            g.AddInput(PastKey(l), OnnxElementType.Float, Batch, s.Heads, PastSeq, s.HeadDim);
            g.AddInput(PastValue(l), OnnxElementType.Float, Batch, s.Heads, PastSeq, s.HeadDim);
        }

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        float[] Data(string name) => parameters[name].detach().contiguous().cpu().data<float>().ToArray();
        void Weight(string name, params long[] dims) => g.AddInitializer(name, Data(name), dims);
        // TorchSharp's Linear keeps weight [out, in]; MatMul wants [in, out].
        void LinearWeight(string name, int input, int output) =>
            g.AddInitializer(name + "_t", Transpose(Data(name), output, input), [input, output]);
        var axis0 = g.Constant("axis0", new long[] { 0 }, [1]);

        // Allowed keys [batch, 1, seq, total_seq], shared by all layers.
        var pastLen = g.Apply("Shape", [PastKey(0)], OnnxAttribute.Int("start", 2), OnnxAttribute.Int("end", 3));
        var seqLen = g.Apply("Shape", [InputIds], OnnxAttribute.Int("start", 1), OnnxAttribute.Int("end", 2));
        var totalLen = g.Apply("Add", [pastLen, seqLen]);
        var pastScalar = g.Apply("Squeeze", [pastLen, axis0]);
        var totalScalar = g.Apply("Squeeze", [totalLen, axis0]);
        var zero = g.Constant("zero", new long[] { 0 }, []);
        var one = g.Constant("one", new long[] { 1 }, []);
        var queryPositions = g.Apply("Range", [pastScalar, totalScalar, one]);
        var keyPositions = g.Apply("Range", [zero, totalScalar, one]);
        var causal = g.Apply("LessOrEqual",
        [
            g.Apply("Unsqueeze", [keyPositions, axis0]), // [1, total]
            g.Apply("Unsqueeze", [queryPositions, g.Constant("axis1", new long[] { 1 }, [1])]), // [seq, 1]
        ]);
        var notPadding = g.Apply("Unsqueeze",
            [g.Apply("Cast", [AttentionMask], OnnxAttribute.Int("to", (long)OnnxElementType.Bool)), g.Constant("axes12", new long[] { 1, 2 }, [2])]);
        var allowed = g.Apply("And", [causal, notPadding]);
        var maskedScore = g.Constant("masked_score", [GptAttention.MaskedScore], []);

        Weight("wte.weight", s.Vocab, s.Dim);
        Weight("wpe.weight", s.Context, s.Dim);
        var x = g.Apply("Add", [g.Apply("Gather", ["wte.weight", InputIds]), g.Apply("Gather", ["wpe.weight", PositionIds])]);

        var headsShape = g.Constant("heads_shape", new long[] { 0, 0, s.Heads, s.HeadDim }, [4]);
        var mergedShape = g.Constant("merged_shape", new long[] { 0, 0, s.Dim }, [3]);
        var qkvSplit = g.Constant("qkv_split", new long[] { s.Dim, s.Dim, s.Dim }, [3]);
        var scale = g.Constant("scale", [(float)(1.0 / Math.Sqrt(s.HeadDim))], []);
        var half = g.Constant("half", [0.5f], []);
        var oneF = g.Constant("one_f", [1f], []);
        var invSqrt2 = g.Constant("inv_sqrt2", [(float)(1.0 / Math.Sqrt(2.0))], []);

        string LayerNorm(string input, string prefix)
        {
            Weight(prefix + ".weight", s.Dim);
            Weight(prefix + ".bias", s.Dim);
            return g.Apply("LayerNormalization", [input, prefix + ".weight", prefix + ".bias"],
                OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", (float)GptBlock.LayerNormEpsilon));
        }
        string Linear(string input, string prefix, int inputSize, int outputSize)
        {
            LinearWeight(prefix + ".weight", inputSize, outputSize);
            Weight(prefix + ".bias", outputSize);
            return g.Apply("Add", [g.Apply("MatMul", [input, prefix + ".weight_t"]), prefix + ".bias"]);
        }

        for (int l = 0; l < s.Layers; l++)
        {
            string p = $"h.{l}";
            var qkv = g.Apply("Split", [Linear(LayerNorm(x, p + ".ln_1"), p + ".attn.c_attn", s.Dim, 3 * s.Dim), qkvSplit], 3,
                OnnxAttribute.Int("axis", -1));
            string Heads(string m) => g.Apply("Transpose", [g.Apply("Reshape", [m, headsShape])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            g.AddNode("Concat", [PastKey(l), Heads(qkv[1])], [PresentKey(l)], OnnxAttribute.Int("axis", 2));
            g.AddNode("Concat", [PastValue(l), Heads(qkv[2])], [PresentValue(l)], OnnxAttribute.Int("axis", 2));
            var keysT = g.Apply("Transpose", [PresentKey(l)], OnnxAttribute.Ints("perm", 0, 1, 3, 2));
            var scores = g.Apply("Mul", [g.Apply("MatMul", [Heads(qkv[0]), keysT]), scale]);
            var probs = g.Apply("Softmax", [g.Apply("Where", [allowed, scores, maskedScore])], OnnxAttribute.Int("axis", -1));
            var attended = g.Apply("MatMul", [probs, PresentValue(l)]);
            var merged = g.Apply("Reshape", [g.Apply("Transpose", [attended], OnnxAttribute.Ints("perm", 0, 2, 1, 3)), mergedShape]);
            x = g.Apply("Add", [x, Linear(merged, p + ".attn.c_proj", s.Dim, s.Dim)]);

            var fc = Linear(LayerNorm(x, p + ".ln_2"), p + ".c_fc", s.Dim, 4 * s.Dim);
            var erf = g.Apply("Erf", [g.Apply("Mul", [fc, invSqrt2])]);
            var gelu = g.Apply("Mul", [g.Apply("Mul", [fc, half]), g.Apply("Add", [erf, oneF])]);
            x = g.Apply("Add", [x, Linear(gelu, p + ".c_proj", 4 * s.Dim, s.Dim)]);
        }

        var final = LayerNorm(x, "ln_f");
        var head = g.Apply("Transpose", ["wte.weight"], OnnxAttribute.Ints("perm", 1, 0));
        g.AddNode("MatMul", [final, head], [Logits]);

        g.AddOutput(Logits, OnnxElementType.Float, Batch, Seq, s.Vocab);
        for (int l = 0; l < s.Layers; l++)
        {
            g.AddOutput(PresentKey(l), OnnxElementType.Float, Batch, s.Heads, TotalSeq, s.HeadDim);
            g.AddOutput(PresentValue(l), OnnxElementType.Float, Batch, s.Heads, TotalSeq, s.HeadDim);
        }
        g.AddMetadata("memscan.architecture", Architecture);
        g.AddMetadata("memscan.context", s.Context.ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.Save(path, producer: "memscan-train");
    }

    static float[] Transpose(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }
}
