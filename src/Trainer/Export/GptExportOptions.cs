using MemScan.Scanner.Onnx;

namespace MemScan.Trainer.Export;

/// <summary>
/// How a GPT is laid out in ONNX, to make the layouts third-party decoders are published in:
/// the weights', caches' and logits' type (float16 and bfloat16 as Optimum's and GenAI's fp16/bf16
/// exports; the arithmetic stays float, as mixed-precision exports keep LayerNorm and Softmax),
/// a batch axis fixed at 1 (static-shape exports), and the attention mask's type.
/// </summary>
public sealed record GptExportOptions
{
    public static GptExportOptions Default { get; } = new();

    /// <summary>float, float16 or bfloat16: weights, past/present caches and logits.</summary>
    public OnnxElementType Precision { get; init; } = OnnxElementType.Float;

    /// <summary>Batch axis fixed at 1 on every input and output.</summary>
    public bool StaticBatch { get; init; }

    /// <summary>
    /// Dynamic int8 quantization of every matmul weight and the tied embedding (<see cref="GptInt8Weights"/>);
    /// activations, caches and logits stay float. Needs float precision.
    /// </summary>
    public bool Int8Weights { get; init; }

    /// <summary>int64 (GPT-2), int32 (GenAI), bool or float.</summary>
    public OnnxElementType MaskType { get; init; } = OnnxElementType.Int64;

    public void Validate()
    {
        if (Precision is not (OnnxElementType.Float or OnnxElementType.Float16 or OnnxElementType.BFloat16))
            throw new ArgumentException($"precision must be float, float16 or bfloat16, got {Precision.ToOnnxString()}");
        if (Int8Weights && Precision != OnnxElementType.Float)
            throw new ArgumentException($"int8 weights keep float activations, caches and logits; precision {Precision.ToOnnxString()} cannot be combined with them");
        if (MaskType is not (OnnxElementType.Int64 or OnnxElementType.Int32 or OnnxElementType.Bool or OnnxElementType.Float))
            throw new ArgumentException($"attention mask type must be int64, int32, bool or float, got {MaskType.ToOnnxString()}");
    }
}
