using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

/// <summary>
/// The scan the tokenizer end-to-end tests share: a canary whose tokens (as the tokenizer under test
/// splits its text) a steered bigram has "memorized", and a control it has not, scanned in-process
/// with that tokenizer. Only the memorized one may rank first.
/// </summary>
internal static class SteeredCanaryScan
{
    static readonly RandomnessSpace Space = RandomnessSpace.Parse("digits:4");

    public static Canary Memorized(string template) => Canary.ThirdParty("memorized", template, "7391", Space);

    public static readonly Canary Control = Canary.ThirdParty("control", "the door code is {secret}", "2846", Space);

    /// <param name="memorizedIds">the memorized canary's whole text as the scan will tokenize it: the model's memory</param>
    public static LmScanResult Run(string folder, int vocabulary, IReadOnlyList<int> memorizedIds, string tokenizer, Canary memorized, params string[] probes)
    {
        string model = SteeredBigramOnnxModel.Write(Path.Combine(folder, "model.onnx"), vocabulary, SteeredBigramOnnxModel.Path(memorizedIds).ToList());
        return LmScan.Run(new LmScanPlan
        {
            ModelPath = model,
            RunsRoot = Path.Combine(folder, "runs"),
            Tokenizer = tokenizer,
            ExtraCanaries = [memorized, Control],
            Probes = probes,
            Exposure = new ExposureSettings { ExtrapolationSamples = 100, Batch = 64 },
            Extraction = new ExtractionSettings { MaxQueries = 2_000, Batch = 16 },
            Isolate = false,
        });
    }

    /// <summary>The memorized canary ranks first (exactly, near log2(10,000) bits), the control does not.</summary>
    public static Dictionary<string, CanaryExposure> AssertOnlyTheMemorizedRanksFirst(LmScanResult scan)
    {
        var byId = scan.Exposure.ToDictionary(e => e.CanaryId);
        Assert.Equal(1, byId["memorized"].Rank);
        Assert.Equal(CanaryExposure.Exact, byId["memorized"].Method);
        Assert.True(byId["memorized"].ExposureBits > 13, $"exposure {byId["memorized"].ExposureBits} bits of at most log2(10,000) = 13.3");
        Assert.True(byId["control"].Rank > 1, $"the control ranked {byId["control"].Rank}");
        return byId;
    }
}
