namespace MemScan.Scanner.Onnx;

/// <summary>A model output copied into managed memory in its own element type (see <see cref="OnnxTypedArrays"/>), with its shape.</summary>
public sealed record OnnxTypedTensor(string Name, Array Data, long[] Shape, OnnxElementType ElementType)
{
    public override string ToString() => $"{Name}: {ElementType.ToOnnxString()}[{string.Join(", ", Shape)}]";
}
