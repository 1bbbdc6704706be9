using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace MemScan.Scanner.Onnx;

/// <summary>
/// Converts between managed arrays and <see cref="TensorProto"/>. Writes use <c>raw_data</c>
/// (little-endian, as ONNX requires); reads accept <c>raw_data</c> and the typed fields
/// (<c>float_data</c>, <c>int64_data</c>, ...), as third-party files use both.
/// </summary>
public static class OnnxTensor
{
    public static TensorProto FromFloats(string name, ReadOnlySpan<float> data, params long[] dims) =>
        WithRawData(Create(name, OnnxElementType.Float, data.Length, dims), data);

    /// <summary>Float16 weights from floats, rounded to nearest (.NET's <see cref="Half"/> is IEEE binary16, ONNX's float16).</summary>
    public static TensorProto FromFloatsAsFloat16(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        var halves = new Half[data.Length];
        for (int i = 0; i < data.Length; i++) halves[i] = (Half)data[i];
        return WithRawData(Create(name, OnnxElementType.Float16, data.Length, dims), (ReadOnlySpan<Half>)halves);
    }

    /// <summary>BFloat16 weights from floats: the upper 16 bits of each float, rounded to nearest even (NaN kept NaN).</summary>
    public static TensorProto FromFloatsAsBFloat16(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        var bits = new ushort[data.Length];
        for (int i = 0; i < data.Length; i++) bits[i] = ToBFloat16Bits(data[i]);
        return WithRawData(Create(name, OnnxElementType.BFloat16, data.Length, dims), (ReadOnlySpan<ushort>)bits);
    }

    /// <summary>Round-to-nearest-even truncation of a float to bfloat16's 16 bits.</summary>
    public static ushort ToBFloat16Bits(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((u >> 16) | 0x40);
        uint rounding = 0x7FFF + ((u >> 16) & 1);
        return (ushort)((u + rounding) >> 16);
    }

    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> data, params long[] dims) =>
        WithRawData(Create(name, OnnxElementType.Int64, data.Length, dims), data);

    /// <summary>
    /// raw_data is the elements' memory as it is: ONNX's little-endian layout on every platform .NET
    /// and ONNX Runtime ship for. A big-endian machine would write byte-swapped weights silently, so
    /// it is refused here, once, rather than converted on a path no test could run.
    /// </summary>
    static TensorProto WithRawData<T>(TensorProto t, ReadOnlySpan<T> data) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("MemScan writes ONNX tensors only on little-endian machines (ONNX raw_data is little-endian)");
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        return t;
    }

    /// <summary>A 0-d (scalar) float tensor, e.g. for <c>ConstantOfShape</c>'s value.</summary>
    public static TensorProto Scalar(string name, float value) => FromFloats(name, [value]);

    /// <summary>A 0-d (scalar) int64 tensor.</summary>
    public static TensorProto Scalar(string name, long value) => FromInt64s(name, [value]);

    public static OnnxElementType ElementType(TensorProto t) => (OnnxElementType)t.DataType;

    /// <summary>Number of elements from <c>dims</c> (1 for a scalar); null when it overflows.</summary>
    public static long? ElementCount(TensorProto t)
    {
        long n = 1;
        foreach (var d in t.Dims)
        {
            if (d < 0) return null;
            try { n = checked(n * d); } catch (OverflowException) { return null; }
        }
        return n;
    }

    public static float[] ToFloats(TensorProto t)
    {
        Expect(t, OnnxElementType.Float);
        if (t.HasRawData)
        {
            var raw = t.RawData.Span;
            CheckRawLength(t, raw.Length, 4);
            var result = new float[raw.Length / 4];
            for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
            return result;
        }
        return t.FloatData.ToArray();
    }

    public static long[] ToInt64s(TensorProto t)
    {
        Expect(t, OnnxElementType.Int64);
        if (t.HasRawData)
        {
            var raw = t.RawData.Span;
            CheckRawLength(t, raw.Length, 8);
            var result = new long[raw.Length / 8];
            for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]);
            return result;
        }
        return t.Int64Data.ToArray();
    }

    /// <summary>Reads one serialized <see cref="TensorProto"/> (the <c>input_0.pb</c> files of ONNX's test data).</summary>
    public static TensorProto Load(string path)
    {
        try
        {
            using var stream = InputFile.OpenRead(path, "ONNX tensor", OnnxLimits.Default.MaxFileBytes);
            return TensorProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new MemScanException($"{path} is not a valid ONNX tensor: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new MemScanException($"cannot read ONNX tensor {path}: {e.Message}", e);
        }
    }

    private static TensorProto Create(string name, OnnxElementType type, int length, long[] dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long expected = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentException($"tensor '{name}': dims [{string.Join(", ", dims)}] has a negative entry", nameof(dims));
            expected = checked(expected * d);
        }
        if (expected != length)
            throw new ArgumentException($"tensor '{name}': dims [{string.Join(", ", dims)}] need {expected} elements, got {length}", nameof(dims));
        var t = new TensorProto { Name = name, DataType = (int)type };
        t.Dims.AddRange(dims);
        return t;
    }

    private static void Expect(TensorProto t, OnnxElementType type)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
            throw new MemScanException($"tensor '{t.Name}' keeps its data in an external file; read it through ONNX Runtime");
        if (ElementType(t) != type)
            throw new MemScanException($"tensor '{t.Name}' is {ElementType(t).ToOnnxString()}, expected {type.ToOnnxString()}");
    }

    private static void CheckRawLength(TensorProto t, int bytes, int elementSize)
    {
        if (bytes % elementSize != 0 || (ElementCount(t) is long n && n * elementSize != bytes))
            throw new MemScanException($"tensor '{t.Name}' has {bytes} bytes of raw_data for dims [{string.Join(", ", t.Dims)}] of {elementSize}-byte elements");
    }
}
