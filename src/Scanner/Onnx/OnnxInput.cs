namespace MemScan.Scanner.Onnx;

/// <summary>
/// A named managed tensor to feed <see cref="OnnxSession.Run(IReadOnlyList{OnnxInput}, string[])"/>.
/// The array is pinned (not copied) for the duration of the run; ONNX Runtime reads its first
/// <see cref="Elements"/> values (a reused buffer may be longer, see <see cref="TypedBuffer"/>).
/// </summary>
public sealed class OnnxInput
{
    private OnnxInput(string name, Array data, long[] shape, OnnxElementType type, bool longerAllowed = false)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"input '{name}': shape [{string.Join(", ", shape)}] has a negative entry", nameof(shape));
            n = checked(n * d);
        }
        if (n != data.Length && !(longerAllowed && n < data.Length))
            throw new ArgumentException($"input '{name}': shape [{string.Join(", ", shape)}] needs {n} elements, got {data.Length}", nameof(shape));
        Name = name;
        Data = data;
        Shape = shape;
        ElementType = type;
        Elements = n;
    }

    public string Name { get; }
    public Array Data { get; }
    public long[] Shape { get; }
    public OnnxElementType ElementType { get; }
    /// <summary>Values the shape holds: the first this many of <see cref="Data"/> are fed.</summary>
    public long Elements { get; }

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

    /// <summary>
    /// As <see cref="Typed"/>, feeding the first shape-many values of a longer buffer reused across
    /// runs (a batch's gathered caches): no array is allocated per run.
    /// </summary>
    public static OnnxInput TypedBuffer(string name, Array buffer, OnnxElementType type, params long[] shape)
    {
        if (buffer.GetType().GetElementType() != OnnxTypedArrays.ClrType(type))
            throw new ArgumentException($"input '{name}': {type.ToOnnxString()} needs a {OnnxTypedArrays.ClrType(type).Name}[], got {buffer.GetType().Name}", nameof(buffer));
        return new(name, buffer, shape, type, longerAllowed: true);
    }
}
