using MemScan.Scanner.Onnx;
using MemScan.Trainer.Models;
using TorchSharp;

namespace MemScan.Trainer.Export;

/// <summary>
/// Writes the nodes of a <see cref="GptLm"/>'s forward pass into a graph builder, with or without
/// a past, reading the weights from another builder (the same one for a single graph; the outer
/// graph for the branches of a merged decoder, so both branches share one copy of the weights).
/// The arithmetic is float whatever <see cref="GptExportOptions.Precision"/> says: half-precision
/// weights and past caches are Cast to float where they are read, presents and logits Cast back.
/// See <see cref="GptOnnxExporter"/> for the graph itself.
/// </summary>
sealed class GptOnnxGraph
{
    readonly GptShape s;
    readonly GptExportOptions _options;
    readonly OnnxGraphBuilder _weights;
    readonly Dictionary<string, float[]> _parameters;
    readonly HashSet<string> _written = new(StringComparer.Ordinal);
    readonly GptInt8Weights? _int8;

    public GptOnnxGraph(GptLm model, GptExportOptions options, OnnxGraphBuilder weights)
    {
        options.Validate();
        s = model.Shape;
        _options = options;
        _weights = weights;
        _int8 = options.Int8Weights ? new GptInt8Weights(weights) : null;
        _parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().contiguous().cpu().data<float>().ToArray());
    }

    bool Half => _options.Precision != OnnxElementType.Float;

    /// <summary>Adds weight <paramref name="name"/> to the weights' graph once, in the export's precision.</summary>
    string Weight(string name, float[] data, long[] dims)
    {
        if (_written.Add(name))
            _weights.AddInitializer(_options.Precision switch
            {
                OnnxElementType.Float16 => OnnxTensor.FromFloatsAsFloat16(name, data, dims),
                OnnxElementType.BFloat16 => OnnxTensor.FromFloatsAsBFloat16(name, data, dims),
                _ => OnnxTensor.FromFloats(name, data, dims),
            });
        return name;
    }

    /// <param name="withPast">Read past_key_values.* (the decoder with past) or start from an empty past (the decoder without past).</param>
    /// <param name="logitsOut">Name of the logits the nodes write.</param>
    /// <param name="presentOut">Names of the presents the nodes write, per layer: key, value.</param>
    public void Emit(OnnxGraphBuilder g, bool withPast, string logitsOut, Func<int, (string Key, string Value)> presentOut)
    {
        // Half-precision weights are read through one Cast per graph (ORT folds it at load).
        var floatWeights = new Dictionary<string, string>(StringComparer.Ordinal);
        string W(string name, float[] data, long[] dims)
        {
            Weight(name, data, dims);
            if (!Half) return name;
            if (!floatWeights.TryGetValue(name, out var f))
                floatWeights[name] = f = g.Apply("Cast", [name], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
            return f;
        }
        string P(string name, params long[] dims) => W(name, _parameters[name], dims);
        // TorchSharp's Linear keeps weight [out, in]; MatMul wants [in, out].
        string LinearWeight(string name, int input, int output) => W(name + "_t", Transpose(_parameters[name], output, input), [input, output]);
        string ToFloat(string name) => Half ? g.Apply("Cast", [name], OnnxAttribute.Int("to", (long)OnnxElementType.Float)) : name;
        void Output(string value, string name)
        {
            if (Half) g.AddNode("Cast", [value], [name], OnnxAttribute.Int("to", (long)_options.Precision));
            else g.AddNode("Identity", [value], [name]);
        }

        var axis0 = g.Constant("axis0", new long[] { 0 }, [1]);
        // Allowed keys [batch, 1, seq, total_seq], shared by all layers.
        var pastLen = withPast
            ? g.Apply("Shape", [GptOnnxExporter.PastKey(0)], OnnxAttribute.Int("start", 2), OnnxAttribute.Int("end", 3))
            : g.Constant("past_len", new long[] { 0 }, [1]);
        var seqLen = g.Apply("Shape", [GptOnnxExporter.InputIds], OnnxAttribute.Int("start", 1), OnnxAttribute.Int("end", 2));
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
            [g.Apply("Cast", [GptOnnxExporter.AttentionMask], OnnxAttribute.Int("to", (long)OnnxElementType.Bool)), g.Constant("axes12", new long[] { 1, 2 }, [2])]);
        var allowed = g.Apply("And", [causal, notPadding]);
        var maskedScore = g.Constant("masked_score", [GptAttention.MaskedScore], []);

        var int8Table = _int8?.Embedding("wte.weight", _parameters["wte.weight"], s.Vocab, s.Dim);
        var wte = int8Table is null ? P("wte.weight", s.Vocab, s.Dim) : "";
        var tokens = int8Table is { } t8 ? GptInt8Weights.Gather(g, t8, GptOnnxExporter.InputIds) : g.Apply("Gather", [wte, GptOnnxExporter.InputIds]);
        var x = s.Rotary ? tokens : g.Apply("Add", [tokens, g.Apply("Gather", [P("wpe.weight", s.Context, s.Dim), GptOnnxExporter.PositionIds])]);

        // RoPE: cos and sin [batch, 1, seq, head_dim] of position × inverse frequency, each half repeated.
        string? cos = null, sin = null;
        if (s.Rotary)
        {
            var frequencies = g.Constant("rope_inv_freq", GptLm.RotaryInverseFrequencies(s.HeadDim), [s.HeadDim / 2]);
            var positions = g.Apply("Unsqueeze", [g.Apply("Cast", [GptOnnxExporter.PositionIds], OnnxAttribute.Int("to", (long)OnnxElementType.Float)),
                g.Constant("axis_last", new long[] { -1 }, [1])]);
            var angles = g.Apply("Mul", [positions, frequencies]);
            var both = g.Apply("Concat", [angles, angles], OnnxAttribute.Int("axis", -1));
            cos = g.Apply("Unsqueeze", [g.Apply("Cos", [both]), g.Constant("axis1_rope", new long[] { 1 }, [1])]);
            sin = g.Apply("Unsqueeze", [g.Apply("Sin", [both]), g.Constant("axis1_rope2", new long[] { 1 }, [1])]);
        }
        var halves = s.Rotary ? g.Constant("rope_halves", new long[] { s.HeadDim / 2, s.HeadDim / 2 }, [2]) : "";
        string Rope(string m)
        {
            var parts = g.Apply("Split", [m, halves], 2, OnnxAttribute.Int("axis", -1));
            var rotated = g.Apply("Concat", [g.Apply("Neg", [parts[1]]), parts[0]], OnnxAttribute.Int("axis", -1));
            return g.Apply("Add", [g.Apply("Mul", [m, cos!]), g.Apply("Mul", [rotated, sin!])]);
        }

        int kv = s.KeyValueHeads;
        long kvDim = (long)kv * s.HeadDim;
        bool grouped = kv != s.Heads;
        var headsShape = g.Constant("heads_shape", new long[] { 0, 0, s.Heads, s.HeadDim }, [4]);
        var kvHeadsShape = grouped ? g.Constant("kv_heads_shape", new long[] { 0, 0, kv, s.HeadDim }, [4]) : headsShape;
        // Grouped-query attention without repeating the cache: the query heads of one key/value head
        // are stacked along the sequence axis ([b, kv, group·seq, hd]) and unstacked after.
        var groupedShape = grouped ? g.Constant("grouped_shape", new long[] { 0, kv, -1, s.HeadDim }, [4]) : "";
        var groupedScoresShape = grouped ? g.Constant("grouped_scores_shape", new long[] { 0, kv, -1, 0 }, [4]) : "";
        var scoresShape = grouped ? g.Constant("scores_shape", new long[] { 0, s.Heads, -1, 0 }, [4]) : "";
        var attendedShape = grouped ? g.Constant("attended_shape", new long[] { 0, s.Heads, -1, s.HeadDim }, [4]) : "";
        var mergedShape = g.Constant("merged_shape", new long[] { 0, 0, s.Dim }, [3]);
        var qkvSplit = g.Constant("qkv_split", new long[] { s.Dim, kvDim, kvDim }, [3]);
        var scale = g.Constant("scale", [(float)(1.0 / Math.Sqrt(s.HeadDim))], []);
        var half = g.Constant("half", [0.5f], []);
        var oneF = g.Constant("one_f", [1f], []);
        var invSqrt2 = g.Constant("inv_sqrt2", [(float)(1.0 / Math.Sqrt(2.0))], []);

        string LayerNorm(string input, string prefix) =>
            g.Apply("LayerNormalization", [input, P(prefix + ".weight", s.Dim), P(prefix + ".bias", s.Dim)],
                OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", (float)GptBlock.LayerNormEpsilon));
        string Linear(string input, string prefix, int inputSize, int outputSize) =>
            g.Apply("Add", [_int8 is null
                ? g.Apply("MatMul", [input, LinearWeight(prefix + ".weight", inputSize, outputSize)])
                : _int8.MatMul(g, input, prefix + ".weight", _parameters[prefix + ".weight"], inputSize, outputSize),
                P(prefix + ".bias", outputSize)]);

        int qkvWidth = s.Dim + 2 * (int)kvDim;
        for (int l = 0; l < s.Layers; l++)
        {
            string p = $"h.{l}";
            var qkv = g.Apply("Split", [Linear(LayerNorm(x, p + ".ln_1"), p + ".attn.c_attn", s.Dim, qkvWidth), qkvSplit], 3,
                OnnxAttribute.Int("axis", -1));
            string Heads(string m, string shape) => g.Apply("Transpose", [g.Apply("Reshape", [m, shape])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            var q = Heads(qkv[0], headsShape);
            var k = Heads(qkv[1], kvHeadsShape);
            var v = Heads(qkv[2], kvHeadsShape);
            if (s.Rotary)
            {
                q = Rope(q);
                k = Rope(k);
            }
            var (keyOut, valueOut) = presentOut(l);
            string key, value;
            if (withPast && !Half)
            {
                // The plain export: the Concat writes the present itself.
                g.AddNode("Concat", [GptOnnxExporter.PastKey(l), k], [keyOut], OnnxAttribute.Int("axis", 2));
                g.AddNode("Concat", [GptOnnxExporter.PastValue(l), v], [valueOut], OnnxAttribute.Int("axis", 2));
                (key, value) = (keyOut, valueOut);
            }
            else
            {
                key = withPast ? g.Apply("Concat", [ToFloat(GptOnnxExporter.PastKey(l)), k], OnnxAttribute.Int("axis", 2)) : k;
                value = withPast ? g.Apply("Concat", [ToFloat(GptOnnxExporter.PastValue(l)), v], OnnxAttribute.Int("axis", 2)) : v;
                Output(key, keyOut);
                Output(value, valueOut);
            }
            var keysT = g.Apply("Transpose", [key], OnnxAttribute.Ints("perm", 0, 1, 3, 2));
            string scores = grouped
                ? g.Apply("Reshape", [g.Apply("Mul", [g.Apply("MatMul", [g.Apply("Reshape", [q, groupedShape]), keysT]), scale]), scoresShape])
                : g.Apply("Mul", [g.Apply("MatMul", [q, keysT]), scale]);
            var probs = g.Apply("Softmax", [g.Apply("Where", [allowed, scores, maskedScore])], OnnxAttribute.Int("axis", -1));
            var attended = grouped
                ? g.Apply("Reshape", [g.Apply("MatMul", [g.Apply("Reshape", [probs, groupedScoresShape]), value]), attendedShape])
                : g.Apply("MatMul", [probs, value]);
            var merged = g.Apply("Reshape", [g.Apply("Transpose", [attended], OnnxAttribute.Ints("perm", 0, 2, 1, 3)), mergedShape]);
            x = g.Apply("Add", [x, Linear(merged, p + ".attn.c_proj", s.Dim, s.Dim)]);

            var fc = Linear(LayerNorm(x, p + ".ln_2"), p + ".c_fc", s.Dim, 4 * s.Dim);
            var erf = g.Apply("Erf", [g.Apply("Mul", [fc, invSqrt2])]);
            var gelu = g.Apply("Mul", [g.Apply("Mul", [fc, half]), g.Apply("Add", [erf, oneF])]);
            x = g.Apply("Add", [x, Linear(gelu, p + ".c_proj", 4 * s.Dim, s.Dim)]);
        }

        var final = LayerNorm(x, "ln_f");
        if (int8Table is { } table)
        {
            g.AddNode("Identity", [GptInt8Weights.Head(g, final, table)], [logitsOut]);
            return;
        }
        var head = g.Apply("Transpose", [wte], OnnxAttribute.Ints("perm", 1, 0));
        if (Half) Output(g.Apply("MatMul", [final, head]), logitsOut);
        else g.AddNode("MatMul", [final, head], [logitsOut]);
    }

    static float[] Transpose(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }
}
