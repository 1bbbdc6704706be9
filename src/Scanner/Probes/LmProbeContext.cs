using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Probes;

/// <summary>What a language-model scan hands each of its probes (<see cref="ScanProbe{TContext}"/>).</summary>
public sealed record LmProbeContext
{
    public required string ModelPath { get; init; }
    public ModelManifest? Manifest { get; init; }
    public string? ManifestPath { get; init; }
    public required LanguageModel Model { get; init; }
    public required ITextTokenizer Tokenizer { get; init; }
    /// <summary>Candidate trees shared by exposure and extraction: each announces its uses in <see cref="ScanProbe{TContext}.Prepare"/>.</summary>
    public required CanaryTreeCache Trees { get; init; }
    /// <summary>The manifest's canaries and the command line's.</summary>
    public required IReadOnlyList<Canary> Canaries { get; init; }
    /// <summary>The canaries whose secret is known.</summary>
    public required IReadOnlyList<Canary> WithSecret { get; init; }
    /// <summary>Training samples for discoverable memorization.</summary>
    public required IReadOnlyList<string> Samples { get; init; }
    /// <summary>The probes named in --probes; empty = every probe the inputs allow.</summary>
    public IReadOnlyList<string> Requested { get; init; } = [];
    public ExposureSettings Exposure { get; init; } = new();
    public ExtractionSettings Extraction { get; init; } = new();
    public DiscoverableSettings Discoverable { get; init; } = new();
    public MiaSettings Mia { get; init; } = new();
    /// <summary>Opens a reference model (the membership probe's) the way the target was opened.</summary>
    public required Func<string, LmIoSpec?, LanguageModel> OpenModel { get; init; }
    public Action<string> Log { get; init; } = _ => { };
}
