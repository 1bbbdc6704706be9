using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.GreedySecret;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Scanning;

/// <summary>Everything a language-model scan was asked to do, from the CLI or a test.</summary>
public sealed record LmScanPlan
{
    public required string ModelPath { get; init; }
    /// <summary>Explicit manifest; null looks beside the model and works without one.</summary>
    public string? ManifestPath { get; init; }
    public string RunsRoot { get; init; } = "runs";
    public string? RunId { get; init; }
    /// <summary>Continue the run <see cref="RunId"/> (running or failed): completed probes are read back, not rerun.</summary>
    public bool Resume { get; init; }
    /// <summary>Probe names to run; empty = every probe the inputs allow.</summary>
    public IReadOnlyList<string> Probes { get; init; } = [];
    public ExposureSettings Exposure { get; init; } = new();
    public ExtractionSettings Extraction { get; init; } = new();
    public DiscoverableSettings Discoverable { get; init; } = new();
    public MiaSettings Mia { get; init; } = new();
    public Device Device { get; init; } = Device.Cpu;
    public int Threads { get; init; }
    public Severity? FailOn { get; init; }
    public bool Redact { get; init; }
    /// <summary>Run the model in a child process so a native crash cannot take the scanner down.</summary>
    public bool Isolate { get; init; } = true;
    public string CommandLine { get; init; } = "";

    // Third-party models without a manifest
    public string? Tokenizer { get; init; }
    /// <summary>A model profile: JSON naming the tensors (input_ids, logits, state pairs) of a model MemScan cannot guess.</summary>
    public string? ProfilePath { get; init; }
    public IReadOnlyList<Canary> ExtraCanaries { get; init; } = [];
    public string? SamplesFile { get; init; }

    public static readonly string[] AllProbes = [ExposureProbe.Name, ExtractionProbe.Name, DiscoverableProbe.Name, MiaProbe.Name, GreedySecretProbe.Name];

    public bool Wants(string probe) => Probes.Count == 0 || Probes.Contains(probe);

    public static IReadOnlyList<string> ParseProbes(string? list) => ProbeList.Parse(list, AllProbes);

    /// <summary>Third-party canaries from --canary/--space/--secret (secrets aligned by position, optional).</summary>
    public static IReadOnlyList<Canary> CanariesFromOptions(IReadOnlyList<string> templates, string? space, IReadOnlyList<string> secrets)
    {
        if (templates.Count == 0) return [];
        if (space is null) throw new MemScanException("--canary needs --space (e.g. --space digits:6)");
        if (secrets.Count > templates.Count)
            throw new MemScanException($"{secrets.Count} --secret values for {templates.Count} --canary templates");
        var parsed = RandomnessSpace.Parse(space);
        return templates.Select((t, i) => Canary.ThirdParty($"cli-{i + 1}", t, i < secrets.Count ? secrets[i] : "", parsed)).ToList();
    }
}
