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

    /// <summary>
    /// ORT's memory pattern optimization (one pre-planned block per set of input shapes); off by
    /// default. Why off: MemScan's runs rarely repeat a shape (a cache's history grows each step, a
    /// tree's batches shrink), so each run paid for a plan and a block of its own size. On the 124M
    /// GPT it bought no speed (scoring, the exposure tree and batch-32 decoding were as fast or
    /// faster without it), and on the float16 export, whose casts add a twin of every tensor, the
    /// exposure scan peaked at 1,374 MiB with it and 1,212 MiB without (float32: 1,232 and 1,222).
    /// </summary>
    public bool MemoryPattern { get; init; }

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
