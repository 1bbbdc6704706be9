using Microsoft.ML.OnnxRuntime;

namespace MemScan.Scanner.Onnx;

/// <summary>How <see cref="OnnxSession.Open"/> sets up ONNX Runtime.</summary>
public sealed record OnnxSessionOptions
{
    public static OnnxSessionOptions Default { get; } = new();

    /// <summary>Requested device; CUDA falls back to CPU with a <see cref="OnnxSession.DeviceNote"/>.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>CUDA device ordinal when <see cref="Device"/> is CUDA.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>Threads for one operator; 0 lets ONNX Runtime pick (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>ONNX Runtime graph rewrites (fusions, constant folding); all by default.</summary>
    public GraphOptimizationLevel GraphOptimization { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Run independent graph branches concurrently (ExecutionMode.ORT_PARALLEL); off by default.</summary>
    public bool ParallelExecution { get; init; }

    /// <summary>ORT's memory pattern optimization (pre-plans buffers for repeated input shapes); on by default.</summary>
    public bool MemoryPattern { get; init; } = true;

    /// <summary>ORT's CPU memory arena (reuses freed buffers); on by default.</summary>
    public bool CpuArena { get; init; } = true;

    /// <summary>
    /// Decommit the .NET heap the check's parse of a large model filled before ONNX Runtime loads
    /// it (see <see cref="OnnxSession.Open"/>); off only for the bench's before/after.
    /// </summary>
    internal bool DecommitCheckHeap { get; init; } = true;

    /// <summary>Limits applied by the <see cref="OnnxModelInfo"/> check that runs first.</summary>
    public OnnxLimits Limits { get; init; } = OnnxLimits.Default;
}
