namespace MemScan.Scanner.Onnx;

/// <summary>
/// A named managed tensor to feed <see cref="OnnxSession.Run(IReadOnlyList{OnnxInput}, string[])"/>.
/// The array is pinned (not copied) for the duration of the run.
/// </summary>
public sealed class OnnxInput
{
    private OnnxInput(string name, Array data, long[] shape, OnnxElementType type)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"input '{name}': shape [{string.Join(", ", shape)}] has a negative entry", nameof(shape));
            n = checked(n * d);
        }
        if (n != data.Length)
            throw new ArgumentException($"input '{name}': shape [{string.Join(", ", shape)}] needs {n} elements, got {data.Length}", nameof(shape));
        Name = name;
        Data = data;
        Shape = shape;
        ElementType = type;
    }

    public string Name { get; }
    public Array Data { get; }
    public long[] Shape { get; }
    public OnnxElementType ElementType { get; }

    public static OnnxInput Float(string name, float[] data, params long[] shape) => new(name, data, shape, OnnxElementType.Float);
    public static OnnxInput Int64(string name, long[] data, params long[] shape) => new(name, data, shape, OnnxElementType.Int64);
    public static OnnxInput Int32(string name, int[] data, params long[] shape) => new(name, data, shape, OnnxElementType.Int32);
    public static OnnxInput Bool(string name, bool[] data, params long[] shape) => new(name, data, shape, OnnxElementType.Bool);

    /// <summary>
    /// A tensor of any element type <see cref="OnnxTypedArrays"/> holds (float16 and bfloat16 caches
    /// among them): the array's element type must be the one ONNX Runtime expects for <paramref name="type"/>.
    /// </summary>
    public static OnnxInput Typed(string name, Array data, OnnxElementType type, params long[] shape)
    {
        if (data.GetType().GetElementType() != OnnxTypedArrays.ClrType(type))
            throw new ArgumentException($"input '{name}': {type.ToOnnxString()} needs a {OnnxTypedArrays.ClrType(type).Name}[], got {data.GetType().Name}", nameof(data));
        return new(name, data, shape, type);
    }
}
