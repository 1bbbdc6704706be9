namespace MemScan.Scanner.Onnx;

/// <summary>One imported operator set: domain ("" is the default ai.onnx domain) and version.</summary>
public sealed record OnnxOpset(string Domain, long Version)
{
    public override string ToString() => $"{(Domain.Length == 0 ? "ai.onnx" : Domain)} v{Version}";
}
