namespace MemScan.Scanner.Onnx;

/// <summary>
/// A graph input or output: its name, element type and shape. <see cref="Dims"/> is null when
/// the rank itself is unknown; symbolic dimensions keep their names ("batch", "seq").
/// <see cref="IsTensor"/> is false for sequence/map/optional values (element type Undefined).
/// </summary>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDim>? Dims, bool IsTensor = true)
{
    public int? Rank => Dims?.Count;

    public override string ToString() =>
        $"{Name}: {(IsTensor ? ElementType.ToOnnxString() : "non-tensor")}" +
        (Dims is null ? "[?]" : $"[{string.Join(", ", Dims)}]");

    internal static OnnxValueInfo FromProto(ValueInfoProto v)
    {
        if (v.Type?.ValueCase != TypeProto.ValueOneofCase.TensorType)
            return new OnnxValueInfo(v.Name, OnnxElementType.Undefined, null, IsTensor: false);
        var t = v.Type.TensorType;
        IReadOnlyList<OnnxDim>? dims = t.Shape is null ? null : t.Shape.Dim.Select(OnnxDim.FromProto).ToArray();
        return new OnnxValueInfo(v.Name, (OnnxElementType)t.ElemType, dims);
    }
}
