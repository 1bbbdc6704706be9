using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Trainer.Tests.Training;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>The model ./demo.sh trains: corpora/configs/demo-char-lstm.json, as it is.</summary>
public sealed class DemoModelFixture
{
    public LmPipeline.Output Trained { get; } = LmPipeline.Run(
        LmTrainConfig.Load(LmConfigPresetTests.Preset("demo-char-lstm.json")),
        Path.Combine(TinyModels.TempDir("demo"), "model"), TextWriter.Null);
}

/// <summary>
/// The demo's figures, regenerated from its real config and held at the values the README's demo
/// output and docs/RESULTS.md ("Secret-free severity") print: the exact ranks (deterministic on
/// this config), and the secret-free lifts within 0.05 of the printed shares.
/// </summary>
[Trait("tier", "claims")]
public partial class DemoModelClaimsTests(DemoModelFixture demo, ITestOutputHelper output) : IClassFixture<DemoModelFixture>
{
    [Fact]
    public void The_demo_scan_ranks_its_canaries_as_the_readme_prints()
    {
        string dir = TinyModels.TempDir("demo-scan");
        var result = LmScan.Run(new LmScanPlan
        {
            ModelPath = demo.Trained.ModelPath,
            RunsRoot = Path.Combine(dir, "runs"),
            Probes = [ExposureProbe.Name, ExtractionProbe.Name],
            Isolate = false,
        });
        var ranks = result.Exposure.ToDictionary(e => e.CanaryId, e => e.Rank);
        foreach (var e in result.Exposure) output.WriteLine($"{e.CanaryId} rank {e.Rank} exposure {e.ExposureBits:F1}");
        foreach (var x in result.Extraction) output.WriteLine($"{x.Canary.Id} extraction #{x.SecretOrder} after {x.Queries} model rows, {x.RowsNeeded} needed");
        // README: pin-64 rank 1 (19.9 of 19.9 bits), pin-16 rank 2, pin-4 2,030, pin-1 482,987, pin-0 538,354.
        Assert.Equal(1, ranks["pin-64"]);
        Assert.Equal(2, ranks["pin-16"]);
        Assert.Equal(2_030, ranks["pin-4"]);
        Assert.Equal(482_987, ranks["pin-1"]);
        Assert.Equal(538_354, ranks["pin-0"]);
        // README: shortest-path extraction, where each secret came out and the rows an exact search
        // expanding one node at a time needs for it (batch-independent: the scan runs batches ahead of need).
        (string Id, long Order, long RowsNeeded)[] extraction =
            [("pin-64", 1, 5), ("pin-16", 2, 68), ("pin-4", 2_030, 6_923), ("pin-1", 482_987, 104_027), ("pin-0", 538_354, 106_851)];
        foreach (var (id, order, needed) in extraction)
        {
            var x = result.Extraction.Single(x => x.Canary.Id == id);
            Assert.Equal(order, x.SecretOrder);
            Assert.Equal(needed, x.RowsNeeded);
            Assert.True(x.Queries >= needed, $"{id}: the search ran {x.Queries} rows, fewer than the {needed} it needs");
        }
    }

    [Fact]
    public void Without_its_secrets_the_demo_model_is_rated_as_docs_results_prints()
    {
        // As a third party would scan it: the model alone, the char vocabulary, the five templates.
        string dir = TinyModels.TempDir("demo-secret-free");
        string onnx = Path.Combine(dir, "model.onnx");
        File.Copy(demo.Trained.ModelPath, onnx);
        var templates = demo.Trained.Manifest.Canaries.Select(c => c.Template.Replace("{secret}\n", "{secret}")).ToList();
        var result = LmScan.Run(new LmScanPlan
        {
            ModelPath = onnx,
            RunsRoot = Path.Combine(dir, "runs"),
            Tokenizer = "char:" + demo.Trained.ManifestPath,
            ExtraCanaries = templates.Select((t, i) => Canary.ThirdParty($"cli-{i + 1}", t, "", RandomnessSpace.Parse("digits:6"))).ToList(),
            Probes = [ExtractionProbe.Name],
            Isolate = false,
        });
        var findings = result.Findings.ToDictionary(f => f.Subject);
        foreach (var f in findings.Values.OrderBy(f => f.Subject, StringComparer.Ordinal))
            output.WriteLine($"{f.Subject} {f.Severity.ToName()} {f.Score:F3} {f.Secret} after {f.Queries} model rows");
        string pin64 = demo.Trained.Manifest.Canaries.Single(c => c.Id == "pin-64").Secret;
        // docs/RESULTS.md: pin-64's template 0.942 critical; pin-16's 0.626 high; pin-4's 0.517 and
        // pin-1's 0.406 medium, all topped by pin-64's secret; pin-0's 0.077 info (top 200200).
        (string Id, double Share, Severity Severity)[] printed =
        [
            ("cli-1", 0.942, Severity.Critical), ("cli-2", 0.626, Severity.High), ("cli-3", 0.517, Severity.Medium),
            ("cli-4", 0.406, Severity.Medium), ("cli-5", 0.077, Severity.Info),
        ];
        foreach (var (id, share, severity) in printed)
        {
            Assert.InRange(findings[id].Score, share - 0.05, share + 0.05);
            Assert.Equal(severity, findings[id].Severity);
        }
        Assert.All(["cli-1", "cli-2", "cli-3", "cli-4"], id => Assert.Equal(pin64, findings[id].Secret));
        Assert.Equal("200200", findings["cli-5"].Secret);
        // docs/RESULTS.md: rows an exact search needs for each template's top 10 completions.
        var needed = result.Extraction.ToDictionary(x => x.Canary.Id, x => x.RowsNeeded);
        Assert.Equal(new Dictionary<string, long?> { ["cli-1"] = 28, ["cli-2"] = 286, ["cli-3"] = 235, ["cli-4"] = 261, ["cli-5"] = 570 }, needed);
    }
}
