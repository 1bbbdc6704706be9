using Google.Protobuf;
using MemScan.Scanner.Onnx;

namespace MemScan.Trainer.Export;

/// <summary>
/// Dynamic int8 quantization of a GPT's matmuls, as ONNX Runtime's own <c>quantize_dynamic</c>
/// writes it: each weight matrix is stored as int8 with one symmetric scale per output column (zero
/// point 0, so no b_zero_point input), and at run time the activations are quantized per tensor by
/// <c>DynamicQuantizeLinear</c> (uint8, scale, zero point), multiplied by <c>MatMulInteger</c>
/// (u8 × s8 → int32), Cast to float and scaled by activation scale × column scale. ONNX Runtime
/// fuses that chain into one <c>DynamicQuantizeMatMul</c> at load. The tied embedding is stored once
/// as int8 rows with a scale per row: the input embedding gathers rows and their scales, the head
/// multiplies by its transpose (whose column scales are the same row scales).
/// </summary>
sealed class GptInt8Weights(OnnxGraphBuilder weights)
{
    readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>Symmetric per-row int8: scale = max|row| / 127 (1 for an all-zero row, which stays 0).</summary>
    public static (sbyte[] Values, float[] Scales) QuantizeRows(float[] m, int rows, int cols)
    {
        var q = new sbyte[m.Length];
        var scales = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            float max = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, Math.Abs(m[r * cols + c]));
            float scale = max > 0 ? max / 127f : 1f;
            scales[r] = scale;
            for (int c = 0; c < cols; c++)
                q[r * cols + c] = (sbyte)Math.Clamp(MathF.Round(m[r * cols + c] / scale), -127, 127);
        }
        return (q, scales);
    }

    /// <summary>
    /// x · W for a TorchSharp Linear weight <paramref name="torchWeight"/> [out, in]: stored transposed
    /// as int8 [in, out] with per-output scales; returns the float product (bias not added).
    /// </summary>
    public string MatMul(OnnxGraphBuilder g, string x, string name, float[] torchWeight, int input, int output)
    {
        string values = name + "_int8", scales = name + "_scale";
        if (_written.Add(name))
        {
            var (q, s) = QuantizeRows(torchWeight, output, input);
            weights.AddInitializer(Int8s(values, Transpose(q, output, input), [input, output]));
            weights.AddInitializer(OnnxTensor.FromFloats(scales, s, output));
        }
        return QuantizedMatMul(g, x, values, scales);
    }

    /// <summary>The tied embedding [vocab, dim] as int8 rows; returns (values, row scales) initializer names.</summary>
    public (string Values, string Scales) Embedding(string name, float[] table, int vocab, int dim)
    {
        string values = name + "_int8", scales = name + "_scale";
        if (_written.Add(name))
        {
            var (q, s) = QuantizeRows(table, vocab, dim);
            weights.AddInitializer(Int8s(values, q, [vocab, dim]));
            weights.AddInitializer(OnnxTensor.FromFloats(scales, s, vocab));
        }
        return (values, scales);
    }

    /// <summary>Rows of the int8 embedding for <paramref name="ids"/>, back in float: Cast(Gather(values)) × Gather(scales).</summary>
    public static string Gather(OnnxGraphBuilder g, (string Values, string Scales) table, string ids)
    {
        var rows = g.Apply("Cast", [g.Apply("Gather", [table.Values, ids])], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var scales = g.Apply("Unsqueeze", [g.Apply("Gather", [table.Scales, ids]), g.Constant("axis_last_q", new long[] { -1 }, [1])]);
        return g.Apply("Mul", [rows, scales]);
    }

    /// <summary>The tied head: x · tableᵀ, the int8 table transposed once at load (ORT folds the constant Transpose).</summary>
    public static string Head(OnnxGraphBuilder g, string x, (string Values, string Scales) table) =>
        QuantizedMatMul(g, x, g.Apply("Transpose", [table.Values], OnnxAttribute.Ints("perm", 1, 0)), table.Scales);

    /// <summary>DynamicQuantizeLinear → MatMulInteger → Cast → Mul(activation scale × column scales): the chain ORT fuses.</summary>
    static string QuantizedMatMul(OnnxGraphBuilder g, string x, string values, string columnScales)
    {
        var q = g.Apply("DynamicQuantizeLinear", [x], 3);
        var product = g.Apply("MatMulInteger", [q[0], values, q[2]]);
        var asFloat = g.Apply("Cast", [product], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        return g.Apply("Mul", [asFloat, g.Apply("Mul", [q[1], columnScales])]);
    }

    static TensorProto Int8s(string name, sbyte[] data, long[] dims)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("MemScan writes ONNX tensors only on little-endian machines");
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Int8 };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes<sbyte>(data));
        return t;
    }

    static sbyte[] Transpose(sbyte[] m, int rows, int cols)
    {
        var t = new sbyte[m.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }
}
