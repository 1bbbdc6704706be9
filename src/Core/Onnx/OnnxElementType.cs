namespace MemScan.Scanner.Onnx;

/// <summary>
/// ONNX tensor element types, numbered as <c>TensorProto.DataType</c> in onnx.proto (and as ONNX
/// Runtime's <c>TensorElementType</c>), so a cast in either direction is exact.
/// </summary>
public enum OnnxElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
    Float8E4M3FN = 17,
    Float8E4M3FNUZ = 18,
    Float8E5M2 = 19,
    Float8E5M2FNUZ = 20,
    UInt4 = 21,
    Int4 = 22,
    Float4E2M1 = 23,
}

public static class OnnxElementTypeExtensions
{
    /// <summary>Bits per element; 0 for strings and unknown types (their size is not fixed).</summary>
    public static int SizeInBits(this OnnxElementType type) => type switch
    {
        OnnxElementType.Bool or OnnxElementType.UInt8 or OnnxElementType.Int8
            or OnnxElementType.Float8E4M3FN or OnnxElementType.Float8E4M3FNUZ
            or OnnxElementType.Float8E5M2 or OnnxElementType.Float8E5M2FNUZ => 8,
        OnnxElementType.UInt4 or OnnxElementType.Int4 or OnnxElementType.Float4E2M1 => 4,
        OnnxElementType.UInt16 or OnnxElementType.Int16 or OnnxElementType.Float16
            or OnnxElementType.BFloat16 => 16,
        OnnxElementType.Float or OnnxElementType.Int32 or OnnxElementType.UInt32 => 32,
        OnnxElementType.Double or OnnxElementType.Int64 or OnnxElementType.UInt64
            or OnnxElementType.Complex64 => 64,
        OnnxElementType.Complex128 => 128,
        _ => 0,
    };

    /// <summary>Lower-case ONNX spelling (<c>float</c>, <c>int64</c>, ...) for messages.</summary>
    public static string ToOnnxString(this OnnxElementType type) =>
        Enum.IsDefined(type) ? type.ToString().ToLowerInvariant() : $"type#{(int)type}";
}
