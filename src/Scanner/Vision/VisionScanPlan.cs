using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Vision;

/// <summary>Everything a classifier scan (<c>memscan vision</c>) was asked to do, from the CLI or a test.</summary>
public sealed record VisionScanPlan
{
    public required string ModelPath { get; init; }
    /// <summary>Explicit manifest; null looks beside the model.</summary>
    public string? ManifestPath { get; init; }
    /// <summary>Profile JSON for a foreign model (input, geometry, normalization, outputs); overrides the manifest's classifier spec.</summary>
    public string? ProfilePath { get; init; }
    /// <summary>Intermediate tensor to expose as the embedding output (the graph is edited into the run folder).</summary>
    public string? AddEmbeddingOutput { get; init; }
    /// <summary>examples.parquet to use instead of the manifest's.</summary>
    public string? ExamplesPath { get; init; }
    /// <summary>Extra images for prediction statistics (see <see cref="ImageSources"/>).</summary>
    public string? Images { get; init; }
    public string? LabelsPath { get; init; }
    public int MaxImages { get; init; } = 512;
    public bool NoReferences { get; init; }
    public string RunsRoot { get; init; } = "runs";
    public string? RunId { get; init; }
    /// <summary>Continue the run <see cref="RunId"/> (running or failed): completed probes are read back, not rerun.</summary>
    public bool Resume { get; init; }
    /// <summary>Probe names to run; empty = every probe the inputs allow.</summary>
    public IReadOnlyList<string> Probes { get; init; } = [];
    public MembershipSettings Membership { get; init; } = new();
    public AuditSettings Audit { get; init; } = new();
    public MemorizationSettings Memorization { get; init; } = new();
    public int Batch { get; init; } = 256;
    public Device Device { get; init; } = Device.Cpu;
    public int Threads { get; init; }
    public Severity? FailOn { get; init; }
    public string CommandLine { get; init; } = "";

    public static readonly string[] AllProbes = [MembershipProbe.Name, CanaryAuditProbe.Name, MemorizationProbe.Name, PredictionStatsProbe.Name];

    public bool Wants(string probe) => Probes.Count == 0 || Probes.Contains(probe);

    public static IReadOnlyList<string> ParseProbes(string? list) => MemScan.Scanner.Scanning.ProbeList.Parse(list, AllProbes);
}
