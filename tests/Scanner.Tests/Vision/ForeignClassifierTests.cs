using MemScan.Scanner.Corpora;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Vision;

/// <summary>The PaddleOCR text-direction classifier has no manifest: it is scanned through a profile.</summary>
public class ForeignClassifierTests
{
    static string Model => Path.Combine(CorpusPaths.For(CorpusPaths.OcrModels), "ch_ppocr_mobile_v2.0_cls_infer.onnx");
    static string Profile => Path.Combine(CorpusPaths.FindSolutionRoot(AppContext.BaseDirectory)!, "corpora", "configs", "paddleocr-cls.profile.json");
    static string Runs => Path.Combine(Path.GetTempPath(), "memscan-vision-tests", "runs-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task PaddleOCR_direction_classifier_is_scanned_with_its_profile_and_says_membership_cannot_be_judged()
    {
        Assert.True(File.Exists(Model), $"{Model} missing: run corpora/fetch.sh ocr-models");
        var r = VisionScan.Run(new VisionScanPlan { ModelPath = Model, ProfilePath = Profile, RunsRoot = Runs, MaxImages = 64, Threads = 1 });
        Assert.True(r.Foreign);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(PredictionStatsProbe.Name, finding.Probe);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("membership cannot be judged", finding.Evidence);
        var stats = r.Predictions!.Stats;
        Assert.Equal(64, stats.Images);
        // digit strips, half upside down: the classifier gets the direction right more often than not
        Assert.True(stats.Accuracy > 0.55, $"accuracy {stats.Accuracy:P1} on digit strips");
        Assert.InRange(stats.MeanEntropy, 0, Math.Log(2));
        var rows = await ParquetTable<PredictionRow>.ReadAsync(r.Run.TablePath(PredictionRow.TableName), TestContext.Current.CancellationToken);
        Assert.Equal(64, rows.Count);
        Assert.All(rows, row => Assert.Contains(row.PredictedName, new[] { "0", "180" }));
    }

    [Fact]
    public void Without_a_profile_the_dynamic_input_is_named_in_the_refusal()
    {
        var e = Assert.Throws<MemScanException>(() => VisionScan.Run(new VisionScanPlan { ModelPath = Model, RunsRoot = Runs }));
        Assert.Contains("inputs are x: float[", e.Message);
        Assert.Contains("pass --profile", e.Message);
    }

    [Fact]
    public void A_profile_with_the_wrong_geometry_is_refused_with_both_shapes()
    {
        string profile = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(profile, """{ "input": "x", "output": "softmax_0.tmp_0", "channels": 1, "height": 48, "width": 192 }""");
        var e = Assert.Throws<MemScanException>(() => VisionScan.Run(new VisionScanPlan { ModelPath = Model, ProfilePath = profile, RunsRoot = Runs }));
        Assert.Contains("dimension 1 = 3", e.Message);
        Assert.Contains("1×48×192", e.Message);
    }
}
