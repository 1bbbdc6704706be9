using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;
using MemScan.Trainer.Tests.Claims;
using Xunit;
using static System.FormattableString;

namespace MemScan.Trainer.Tests.Vision;

/// <summary>
/// README "What the vision tests show": its three tables regenerated from this class's family and
/// held at their printed precision (one torch thread, seeded splits and canaries: deterministic).
/// </summary>
public partial class VisionFamilyTests
{
    static string Pct(double share) => PrintedFigures.Percent(share);

    [Fact]
    [Trait("tier", "claims")]
    public void The_readme_canary_audit_table_is_regenerated_at_its_printed_values()
    {
        AuditRow Loss(VisionScanResult scan, string method) =>
            scan.Audit!.Rows.Single(r => r.CanaryKind == "all" && r.Score == "loss" && r.Method == method);
        string Severity(VisionScanResult scan) => scan.Findings.Single(x => x.Probe == CanaryAuditProbe.Name).Severity.ToName();
        var standard = Loss(f.StandardScan, "one-run");
        var standardThreshold = Loss(f.StandardScan, "threshold");
        var dp = Loss(f.DpScan, "one-run");
        var dpThreshold = Loss(f.DpScan, "threshold");
        var dpTraining = f.Dp.Target.Training;
        PrintedFigures.AssertPrinted("README.md",
        [
            Invariant($"| standard | ε ≥ {standard.EpsilonLowerBound:F2} (ceiling {standard.Ceiling:F2}; {standard.CeilingAllCanaries:F2} for all 96 canaries), ") +
            Invariant($"{standard.Correct}/{standard.Guesses} right | ε ≥ {standardThreshold.EpsilonLowerBound:F2} (ceiling {standardThreshold.Ceiling:F2}) | finding `{Severity(f.StandardScan)}` |"),
            Invariant($"| DP-SGD σ = 1, C = 1, 10 epochs (claimed ε = {dpTraining.Epsilon:F1} at δ = 1e-5) | ε ≥ {dp.EpsilonLowerBound:F2}, {dp.Correct}/{dp.Guesses} right | ") +
            Invariant($"ε ≥ {dpThreshold.EpsilonLowerBound:F2} | finding `{Severity(f.DpScan)}` |"),
        ]);
    }

    [Fact]
    [Trait("tier", "claims")]
    public void The_readme_vision_membership_table_is_regenerated_at_its_printed_values()
    {
        var names = new Dictionary<string, string>
        {
            ["loss"] = "loss", ["modified_entropy"] = "modified entropy", ["lira_online"] = "LiRA online (per-example variance, 2 IN / 2 OUT)",
            ["lira_online_fixed"] = "LiRA online, fixed variance", ["lira_offline_fixed"] = "LiRA offline, fixed variance", ["rmia"] = "RMIA (offline, a tuned on ref-00)",
        };
        PrintedFigures.AssertPrinted("README.md", f.StandardScan.Membership!.Summaries.Where(s => names.ContainsKey(s.Attack))
            .Select(s => Invariant($"| {names[s.Attack]} | {s.Auc:F3} | {Pct(s.TprAt1PctFpr)} | {Pct(s.TprAt0Point1PctFpr)} |")));
    }

    [Fact]
    [Trait("tier", "claims")]
    public void The_readme_memorization_table_is_regenerated_at_its_printed_values()
    {
        var real = f.StandardScan.Memorization!.Summary;
        var random = f.RandomLabelsScan.Memorization!.Summary;
        var realFeatures = f.StandardFeaturesScan.Memorization!.Summary;
        var randomFeatures = f.RandomLabelsFeaturesScan.Memorization!.Summary;
        var realTraining = f.Standard.Target.Training;
        var randomTraining = f.RandomLabels.Target.Training;
        PrintedFigures.AssertPrinted("README.md",
        [
            $"| train / test accuracy | {Pct(realTraining.TrainAccuracy)} / {Pct(realTraining.TestAccuracy)} | {Pct(randomTraining.TrainAccuracy)} / {Pct(randomTraining.TestAccuracy)} (chance 10%) |",
            Invariant($"| critical sample ratio ({real.CsrExamples} members, r = {real.CsrRadius}) | {Pct(real.Csr)} | {Pct(random.Csr)} |"),
            $"| DNN right, k-NN wrong, on `embedding` (pool members) | {Pct(real.DnnNotKnnRate)} | {Pct(random.DnnNotKnnRate)} |",
            $"| DNN right, k-NN wrong, on `features` (pool members) | {Pct(realFeatures.DnnNotKnnRate)} | {Pct(randomFeatures.DnnNotKnnRate)} |",
            Invariant($"| Feldman–Zhang mean (5 models): pool / mislabeled / noise canaries | {real.FzMeanPool:F2} / {real.FzMeanMislabeled:F2} / {real.FzMeanNoise:F2} | |"),
            Invariant($"its k-NN reaches {100 * random.KnnTrainAccuracy:F0}% on random labels"),
        ]);
    }
}
