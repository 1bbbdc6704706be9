using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Sweeps;

/// <summary>Everything one <c>memscan sweep</c> process was asked to do, from the CLI or a test.</summary>
public sealed record SweepPlan
{
    public required string ModelPath { get; init; }
    /// <summary>Explicit manifest; null looks beside the model and works without one (needs <see cref="Tokenizer"/>).</summary>
    public string? ManifestPath { get; init; }
    /// <summary>Tokenizer of a third-party model (overrides the manifest's).</summary>
    public string? Tokenizer { get; init; }
    public string SweepsRoot { get; init; } = "sweeps";
    /// <summary>Null: <see cref="SweepInfo.DefaultSweepId"/>, the same for every shard and restart of the same command.</summary>
    public string? SweepId { get; init; }
    public SweepSettings Settings { get; init; } = new();
    public ShardSpec Shard { get; init; } = ShardSpec.Single;
    /// <summary>Shard count recorded in sweep.json; defaults to <see cref="Shard"/>'s.</summary>
    public int? Shards { get; init; }
    /// <summary>Reference model for the reference ratio (its manifest beside it, or <see cref="ReferenceTokenizer"/>).</summary>
    public string? ReferencePath { get; init; }
    public string? ReferenceTokenizer { get; init; }
    /// <summary>Stop after this many parts (time-boxed jobs); the next run resumes.</summary>
    public int? MaxParts { get; init; }
    public Device Device { get; init; } = Device.Cpu;
    public int Threads { get; init; }
    /// <summary>Run the model and the reference in <c>memscan host-model</c> child processes (the default; <c>--in-process</c> turns it off).</summary>
    public bool Isolate { get; init; } = true;

    /// <summary>--memory-budget: bounds each model run's outputs and caches (a share, <see cref="Scanning.RunBudgets"/>) and the host's held states.</summary>
    public long MemoryBudget { get; init; } = Scanning.MemoryBudgets.MachineDefault;
}
