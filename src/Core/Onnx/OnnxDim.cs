namespace MemScan.Scanner.Onnx;

/// <summary>
/// One dimension of a tensor shape: a fixed size (<c>4</c>), a symbolic name shared by inputs and
/// outputs (<c>"batch"</c>, <c>"seq"</c>: a dynamic axis), or unknown (neither). Converts
/// implicitly from <see cref="long"/>, <see cref="int"/> and <see cref="string"/>, so shapes read
/// as <c>AddInput("ids", OnnxElementType.Int64, "batch", "seq")</c>.
/// </summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long? value, string? param) { Value = value; Param = param; }

    /// <summary>The fixed size, or null for a symbolic or unknown dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed or unknown dimension.</summary>
    public string? Param { get; }

    public bool IsFixed => Value is not null;
    public bool IsSymbolic => Param is not null;

    public static OnnxDim Unknown => default;

    public static OnnxDim Fixed(long value) =>
        value >= 0 ? new(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "a dimension cannot be negative");

    public static OnnxDim Symbolic(string name) =>
        string.IsNullOrEmpty(name) ? throw new ArgumentException("a symbolic dimension needs a name", nameof(name)) : new(null, name);

    public static implicit operator OnnxDim(long value) => Fixed(value);
    public static implicit operator OnnxDim(int value) => Fixed(value);
    public static implicit operator OnnxDim(string name) => Symbolic(name);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";

    internal TensorShapeProto.Types.Dimension ToProto()
    {
        var d = new TensorShapeProto.Types.Dimension();
        if (Value is long v) d.DimValue = v;
        else if (Param is string p) d.DimParam = p;
        return d;
    }

    internal static OnnxDim FromProto(TensorShapeProto.Types.Dimension d) => d.ValueCase switch
    {
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue when d.DimValue >= 0 => new(d.DimValue, null),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when d.DimParam.Length > 0 => new(null, d.DimParam),
        _ => Unknown, // legacy exporters write -1 or an empty name for "unknown"
    };
}
