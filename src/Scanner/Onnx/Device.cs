namespace MemScan.Scanner.Onnx;

/// <summary>Where ONNX Runtime runs a model.</summary>
public enum Device
{
    Cpu,
    Cuda,
}
