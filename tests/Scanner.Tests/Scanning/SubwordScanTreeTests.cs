using System.Runtime.CompilerServices;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tests.Tokenizers;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

/// <summary>
/// Under a subword tokenizer every candidate tree costs a tokenization of the whole space: a scan
/// running exposure and extraction builds each canary's tree once, gets the results that trees
/// built afresh for each probe give, and holds none of them once it returns.
/// </summary>
public sealed class SubwordScanTreeTests : IDisposable
{
    const int Gpt2Vocabulary = 50_257;
    static readonly RandomnessSpace Space = RandomnessSpace.Parse("digits:3");
    static readonly Canary[] Canaries =
    [
        Canary.ThirdParty("pin", "my PIN is {secret}", "042", Space),
        Canary.ThirdParty("door", "the door code is {secret}", "913", Space),
        Canary.ThirdParty("unknown", "the safe opens with {secret}", "", Space), // no secret: extraction only
    ];

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    LmScanPlan Plan(string model) => new()
    {
        ModelPath = model,
        RunsRoot = _dir.File("runs"),
        Tokenizer = "gpt2",
        ExtraCanaries = Canaries,
        Probes = [ExposureProbe.Name, ExtractionProbe.Name],
        Exposure = new ExposureSettings { ExtrapolationSamples = 100, Batch = 64 },
        Extraction = new ExtractionSettings { MaxQueries = 300, Batch = 16 },
        Isolate = false,
    };

    sealed class RecordingBuilder
    {
        public List<string> Built { get; } = [];
        public List<WeakReference> Trees { get; } = [];

        public CanaryTree Build(ITextTokenizer tokenizer, Canary canary)
        {
            Built.Add(canary.Id);
            var tree = CandidateTries.For(tokenizer, canary);
            Trees.Add(new WeakReference(tree));
            return tree;
        }
    }

    // Not inlined, so that no temporary of the scan outlives the call in a debug build.
    [MethodImpl(MethodImplOptions.NoInlining)]
    LmScanResult Scan(LmScanPlan plan, RecordingBuilder builder) => LmScan.Run(plan, null, builder.Build);

    [Fact]
    public void Exposure_and_extraction_build_each_canary_tree_once_and_agree_with_trees_built_per_probe()
    {
        string model = FactoredBigramOnnxModel.Write(_dir.File("model.onnx"), Gpt2Vocabulary);
        var plan = Plan(model);
        var builder = new RecordingBuilder();

        var scan = Scan(plan, builder);

        Assert.Equal(["pin", "door", "unknown"], builder.Built);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.All(builder.Trees, tree => Assert.False(tree.IsAlive, "the scan still holds a candidate tree after it returned"));

        // The probes as they ran before the cache: a cache expecting no uses builds every tree on demand.
        using var lm = OnnxLanguageModel.Open(model);
        lm.MaxBatch = plan.Exposure.Batch;
        using var fresh = new CanaryTreeCache(FetchedTokenizers.Gpt2);
        var exposure = new ExposureProbe(lm, fresh, plan.Exposure);
        var extraction = new ExtractionProbe(lm, fresh, plan.Extraction);
        Assert.Equal(Canaries.Where(c => c.HasSecret).Select(c => exposure.Measure(c) with { Seconds = 0 }),
                     scan.Exposure.Select(e => e with { Seconds = 0 }));
        foreach (var (canary, scanned) in Canaries.Zip(scan.Extraction))
        {
            var alone = extraction.Extract(canary);
            Assert.Equal(alone.Rows, scanned.Rows);
            Assert.Equal((alone.SecretOrder, alone.Queries), (scanned.SecretOrder, scanned.Queries));
        }
    }
}
