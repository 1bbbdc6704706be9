using Microsoft.ML.OnnxRuntime;

namespace MemScan.Scanner.Onnx;

/// <summary>
/// Managed arrays of the element types a language model's inputs and outputs use, in the CLR type
/// ONNX Runtime reads and writes for each (ORT's <see cref="Float16"/> and <see cref="BFloat16"/>
/// structs for half-precision). Why: a float16 KV cache is kept and fed back as float16, never
/// widened to float32 and narrowed again (twice the memory, and a copy per step).
/// </summary>
public static class OnnxTypedArrays
{
    /// <summary>The CLR element type of <paramref name="type"/>'s arrays.</summary>
    public static Type ClrType(OnnxElementType type) => type switch
    {
        OnnxElementType.Float => typeof(float),
        OnnxElementType.Float16 => typeof(Float16),
        OnnxElementType.BFloat16 => typeof(BFloat16),
        OnnxElementType.Double => typeof(double),
        OnnxElementType.Int64 => typeof(long),
        OnnxElementType.Int32 => typeof(int),
        OnnxElementType.Bool => typeof(bool),
        _ => throw new MemScanException($"MemScan does not hold {type.ToOnnxString()} tensors (it holds float, float16, bfloat16, double, int64, int32 and bool)"),
    };

    /// <summary>True for the floating-point types a cache or logits may have.</summary>
    public static bool IsFloating(OnnxElementType type) =>
        type is OnnxElementType.Float or OnnxElementType.Float16 or OnnxElementType.BFloat16 or OnnxElementType.Double;

    /// <summary>A zeroed array of <paramref name="length"/> elements of <paramref name="type"/>.</summary>
    public static Array Create(OnnxElementType type, long length) => Array.CreateInstance(ClrType(type), length);

    /// <summary>Bytes of one element, for memory bounds.</summary>
    public static int ElementBytes(Array data) => data switch
    {
        float[] or int[] => 4,
        long[] or double[] => 8,
        Float16[] or BFloat16[] => 2,
        bool[] => 1,
        _ => throw new ArgumentException($"unsupported array type {data.GetType().Name}", nameof(data)),
    };

    /// <summary>
    /// Converts destination.Length elements of <paramref name="source"/> (float, float16, bfloat16 or
    /// double) from <paramref name="offset"/> on into <paramref name="destination"/>: log-softmax
    /// runs in float whatever type the logits came in.
    /// </summary>
    public static void ToFloat(Array source, long offset, Span<float> destination)
    {
        switch (source)
        {
            case float[] f: f.AsSpan(checked((int)offset), destination.Length).CopyTo(destination); break;
            case Float16[] h: for (int i = 0; i < destination.Length; i++) destination[i] = h[offset + i].ToFloat(); break;
            case BFloat16[] b: for (int i = 0; i < destination.Length; i++) destination[i] = b[offset + i].ToFloat(); break;
            case double[] d: for (int i = 0; i < destination.Length; i++) destination[i] = (float)d[offset + i]; break;
            default: throw new ArgumentException($"{source.GetType().Name} is not a floating-point array", nameof(source));
        }
    }
}
