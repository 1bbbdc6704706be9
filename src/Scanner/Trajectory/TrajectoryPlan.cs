using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Vision;

namespace MemScan.Scanner.Trajectory;

/// <summary>What <c>memscan trajectory DIR</c> was asked to do, from the CLI or a test.</summary>
public sealed record TrajectoryPlan
{
    /// <summary>The training run's folder: the one holding <c>snapshots/</c> (and, for a CNN, examples.parquet).</summary>
    public required string RunDir { get; init; }
    /// <summary>Where the tables, plots and per-snapshot scans go; null = RUN_DIR/trajectory.</summary>
    public string? OutDir { get; init; }
    /// <summary>Classifiers: examples.parquet to use instead of RUN_DIR/examples.parquet.</summary>
    public string? ExamplesPath { get; init; }
    /// <summary>Language models: run membership inference on the snapshot's member / non-member samples too.</summary>
    public bool Mia { get; init; } = true;
    public ExposureSettings Exposure { get; init; } = new();
    /// <summary>Classifiers: training members searched for critical samples at each snapshot (0 = off).</summary>
    public int CsrExamples { get; init; } = 32;
    public CsrSettings Csr { get; init; } = new();
    public int Batch { get; init; } = 256;
    /// <summary>Language models run in the isolated host (a child process), as <c>memscan scan</c> does by default.</summary>
    public bool Isolate { get; init; } = true;
    public Device Device { get; init; } = Device.Cpu;
    public int Threads { get; init; }

    public string Out => OutDir ?? Path.Combine(RunDir, "trajectory");
}
