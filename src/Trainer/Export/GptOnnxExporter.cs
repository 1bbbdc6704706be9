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
/// <para>Layouts (<see cref="GptExportOptions"/> and the entry points below), as third-party
/// decoders are published: <see cref="Export(GptLm, string, GptExportOptions)"/> the single file
/// with past (float16/bfloat16, static batch 1, int32/bool/float mask as asked);
/// <see cref="ExportWithoutPast"/> Optimum's <c>decoder_model.onnx</c> (no past inputs; presents
/// of the tokens fed), the first half of the decoder / decoder-with-past pair;
/// <see cref="ExportMerged"/> Optimum's <c>decoder_model_merged.onnx</c>: one bool input
/// <c>use_cache_branch</c> selects, through an If node, the branch with past (true) or without
/// (false); the weights are stored once, in the outer graph. With
/// <see cref="GptShape.KvHeads"/> below the heads the caches hold the key/value heads only
/// (grouped-query attention); with <see cref="GptShape.Rotary"/> there is no position table.</para>
/// </remarks>
public static class GptOnnxExporter
{
    public const string InputIds = "input_ids", AttentionMask = "attention_mask", PositionIds = "position_ids", Logits = "logits",
        CacheBranch = "use_cache_branch";
    public const string Architecture = "gpt";

    public static string PastKey(int layer) => $"past_key_values.{layer}.key";
    public static string PastValue(int layer) => $"past_key_values.{layer}.value";
    public static string PresentKey(int layer) => $"present.{layer}.key";
    public static string PresentValue(int layer) => $"present.{layer}.value";

    const string Batch = "batch_size", Seq = "sequence_length", PastSeq = "past_sequence_length", TotalSeq = "total_sequence_length";

    /// <summary>The plain layout: float, dynamic batch, one file with past_key_values.</summary>
    public static void Export(GptLm model, string path) => Export(model, path, GptExportOptions.Default);

    /// <summary>One file with past_key_values, in the layout <paramref name="options"/> asks for.</summary>
    public static void Export(GptLm model, string path, GptExportOptions options)
    {
        var g = new OnnxGraphBuilder("gpt_lm");
        DeclareInputs(g, model.Shape, options, withPast: true, cacheBranch: false);
        new GptOnnxGraph(model, options, g).Emit(g, withPast: true, Logits, l => (PresentKey(l), PresentValue(l)));
        DeclareOutputs(g, model.Shape, options);
        Save(g, model.Shape, path);
    }

    /// <summary>Optimum's decoder_model.onnx: no past inputs; it returns the presents of the tokens it was fed.</summary>
    public static void ExportWithoutPast(GptLm model, string path, GptExportOptions? options = null)
    {
        options ??= GptExportOptions.Default;
        var g = new OnnxGraphBuilder("gpt_lm_without_past");
        DeclareInputs(g, model.Shape, options, withPast: false, cacheBranch: false);
        new GptOnnxGraph(model, options, g).Emit(g, withPast: false, Logits, l => (PresentKey(l), PresentValue(l)));
        DeclareOutputs(g, model.Shape, options);
        Save(g, model.Shape, path);
    }

    /// <summary>Optimum's decoder_model_merged.onnx: an If on use_cache_branch between the decoder with past and without.</summary>
    public static void ExportMerged(GptLm model, string path, GptExportOptions? options = null)
    {
        options ??= GptExportOptions.Default;
        var s = model.Shape;
        var g = new OnnxGraphBuilder("gpt_lm_merged");
        DeclareInputs(g, s, options, withPast: true, cacheBranch: true);
        var graph = new GptOnnxGraph(model, options, g);
        string[] outputs = [Logits, .. Enumerable.Range(0, s.Layers).SelectMany(l => new[] { PresentKey(l), PresentValue(l) })];
        GraphProto Branch(string name, bool withPast)
        {
            var b = new OnnxGraphBuilder(name);
            graph.Emit(b, withPast, Logits, l => (PresentKey(l), PresentValue(l)));
            foreach (var o in outputs) b.AddOutputOfUnknownShape(o, options.Precision);
            // Branch-local names get the branch's prefix, so they clash neither with the outer graph nor with the other branch.
            return OnnxSubgraph.Localize(b.Build().Graph, name + "/");
        }
        g.AddNode("If", [CacheBranch], outputs, name: "use_cache_branch_if", domain: "",
            OnnxAttribute.Graph("then_branch", Branch("with_past", withPast: true)),
            OnnxAttribute.Graph("else_branch", Branch("without_past", withPast: false)));
        DeclareOutputs(g, s, options);
        Save(g, s, path);
    }

    static OnnxDim BatchDim(GptExportOptions options) => options.StaticBatch ? 1 : Batch;

    static void DeclareInputs(OnnxGraphBuilder g, GptShape s, GptExportOptions options, bool withPast, bool cacheBranch)
    {
        var batch = BatchDim(options);
        g.AddInput(InputIds, OnnxElementType.Int64, batch, Seq);
        g.AddInput(AttentionMask, options.MaskType, batch, withPast ? TotalSeq : Seq);
        g.AddInput(PositionIds, OnnxElementType.Int64, batch, Seq);
        if (cacheBranch) g.AddInput(CacheBranch, OnnxElementType.Bool, 1);
        if (!withPast) return;
        for (int l = 0; l < s.Layers; l++)
        {
            g.AddInput(PastKey(l), options.Precision, batch, s.KeyValueHeads, PastSeq, s.HeadDim);
            g.AddInput(PastValue(l), options.Precision, batch, s.KeyValueHeads, PastSeq, s.HeadDim);
        }
    }

    static void DeclareOutputs(OnnxGraphBuilder g, GptShape s, GptExportOptions options)
    {
        var batch = BatchDim(options);
        g.AddOutput(Logits, options.Precision, batch, Seq, s.Vocab);
        for (int l = 0; l < s.Layers; l++)
        {
            g.AddOutput(PresentKey(l), options.Precision, batch, s.KeyValueHeads, TotalSeq, s.HeadDim);
            g.AddOutput(PresentValue(l), options.Precision, batch, s.KeyValueHeads, TotalSeq, s.HeadDim);
        }
    }

    static void Save(OnnxGraphBuilder g, GptShape s, string path)
    {
        g.AddMetadata("memscan.architecture", Architecture);
        g.AddMetadata("memscan.context", s.Context.ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.Save(path, producer: "memscan-train");
    }
}
