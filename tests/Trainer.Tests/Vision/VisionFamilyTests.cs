using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Vision;

public partial class VisionFamilyTests(VisionFamilyFixture f, ITestOutputHelper output) : IClassFixture<VisionFamilyFixture>
{

    [Fact]
    public async Task Examples_parquet_holds_pool_and_canaries_with_the_targets_membership_and_reads_back_bit_for_bit()
    {
        var rows = await ParquetTable<ExampleRow>.ReadAsync(f.Standard.ExamplesPath, TestContext.Current.CancellationToken);
        var plan = f.Standard.Plan;
        Assert.Equal(plan.Examples.Count, rows.Count);
        Assert.Equal(256, rows.Count(r => r.Role != ExampleRow.Canary));
        Assert.Equal(48, rows.Count(r => r.CanaryKind == ExampleRow.Mislabeled));
        Assert.Equal(48, rows.Count(r => r.CanaryKind == ExampleRow.Noise));
        foreach (var r in rows)
        {
            var e = plan.Examples[r.ExampleId];
            Assert.Equal(e.Pixels, r.Pixels);
            Assert.Equal(e.Label, r.Label);
            Assert.Equal(f.Standard.Membership.Target[r.ExampleId], r.Included);
            if (r.Role != ExampleRow.Canary) Assert.Equal(r.Included ? ExampleRow.Member : ExampleRow.NonMember, r.Role);
        }
        Assert.All(rows.Where(r => r.CanaryKind == ExampleRow.Mislabeled), r => Assert.NotEqual(r.TrueLabel, r.Label));
        Assert.All(rows.Where(r => r.CanaryKind == ExampleRow.Noise), r => Assert.Null(r.TrueLabel));
        // the target's draws are Bernoulli(1/2): neither side is empty or lopsided
        Assert.InRange(rows.Count(r => r.Included), 0.35 * rows.Count, 0.65 * rows.Count);
    }

    [Fact]
    public async Task Example_membership_lists_every_model_and_splits_each_example_between_two_of_four_references()
    {
        var rows = await ParquetTable<ExampleMembershipRow>.ReadAsync(f.Standard.MembershipPath, TestContext.Current.CancellationToken);
        int n = f.Standard.Plan.Examples.Count;
        Assert.Equal(["ref-00", "ref-01", "ref-02", "ref-03", "ref-clean", "target"], rows.Select(r => r.Model).Distinct().Order());
        Assert.All(rows.GroupBy(r => r.Model), g => Assert.Equal(n, g.Count()));
        Assert.All(rows.Where(r => r.Model.StartsWith("ref-0")).GroupBy(r => r.ExampleId), g => Assert.Equal(2, g.Count(r => r.IsMember)));
        Assert.All(f.Standard.Models.Skip(1), m => Assert.True(File.Exists(m.ModelPath) && File.Exists(m.ManifestPath)));

        // ref-clean: exactly the target's pool images, no canary
        var isCanary = f.Standard.Plan.Examples.Select(e => e.IsCanary).ToArray();
        var clean = rows.Where(r => r.Model == "ref-clean").ToDictionary(r => r.ExampleId, r => r.IsMember);
        Assert.All(Enumerable.Range(0, n), e => Assert.Equal(!isCanary[e] && f.Standard.Membership.Target[e], clean[e]));
        var cleanModel = f.Standard.Models.Single(m => m.Name == "ref-clean");
        Assert.Equal("clean-reference", cleanModel.Manifest.Training.Role);
        Assert.Equal("target", f.Standard.Target.Manifest.Training.Role);
        Assert.Equal(Path.Combine("..", CnnPipeline.MembershipFile), cleanModel.Manifest.Training.MembershipFile);
    }

    [Fact]
    public void Canary_audit_of_the_standard_model_is_clearly_positive_and_of_the_dp_sgd_model_near_zero()
    {
        var standard = f.StandardScan.Audit!;
        var dp = f.DpScan.Audit!;
        foreach (var r in standard.Rows.Concat(dp.Rows).Where(r => r.CanaryKind == "all" && r.Score == "loss"))
            output.WriteLine($"{(standard.Rows.Contains(r) ? "standard" : "dp-sgd"),-8} {r.Method,-9} eps >= {r.EpsilonLowerBound:F2} (ceiling {r.Ceiling:F2}, all-canary ceiling {r.CeilingAllCanaries:F2}) {r.Correct}/{r.Guesses}");
        output.WriteLine($"dp-sgd claimed epsilon {f.Dp.Target.Training.Epsilon:F2}");
        var cleanRatio = standard.Rows.Single(r => r.CanaryKind == "all" && r.Score == "clean_ratio" && r.Method == "one-run");
        output.WriteLine($"standard clean_ratio one-run eps >= {cleanRatio.EpsilonLowerBound:F2} ({cleanRatio.Correct}/{cleanRatio.Guesses})");
        Assert.True(cleanRatio.Correct > cleanRatio.Guesses / 2, $"clean_ratio guesses {cleanRatio.Correct}/{cleanRatio.Guesses}");
        Assert.True(standard.Headline.EpsilonLowerBound >= 1.0, $"standard model: epsilon lower bound {standard.Headline.EpsilonLowerBound:F2}, ceiling {standard.Headline.Ceiling:F2}");
        Assert.True(dp.Headline.EpsilonLowerBound <= 0.3, $"dp-sgd model: epsilon lower bound {dp.Headline.EpsilonLowerBound:F2}");
        Assert.True(f.StandardScan.Findings.Single(x => x.Probe == CanaryAuditProbe.Name).Severity >= Severity.High);
        Assert.Equal(Severity.Info, f.DpScan.Findings.Single(x => x.Probe == CanaryAuditProbe.Name).Severity);
        Assert.True(f.Dp.Target.Manifest.Hyper.ContainsKey("dp_epsilon") && f.Dp.Target.Manifest.Hyper["dp_noise_multiplier"] == 1.0);
    }

    [Fact]
    public async Task Membership_inference_writes_every_attack_including_lira_and_rmia_from_the_references()
    {
        var mia = f.StandardScan.Membership!;
        foreach (var s in mia.Summaries)
            output.WriteLine($"{s.Attack,-20} AUC {s.Auc:F3}  TPR@1% {s.TprAt1PctFpr:P1}  TPR@0.1% {s.TprAt0Point1PctFpr:P1}");
        Assert.Equal(["loss", "confidence", "entropy", "modified_entropy", "lira_online", "lira_online_fixed", "lira_offline", "lira_offline_fixed", "rmia"],
            mia.Summaries.Select(s => s.Attack));
        Assert.True(mia.Summaries.Single(s => s.Attack == "loss").Auc > 0.6);
        Assert.True(mia.Summaries.Single(s => s.Attack == "lira_online_fixed").Auc > 0.6);
        string run = f.StandardScan.Run.Path;
        var rows = await ParquetTable<MiaSummary>.ReadAsync(Path.Combine(run, "mia.parquet"), TestContext.Current.CancellationToken);
        Assert.Equal(mia.Summaries.Count, rows.Count);
        var examples = await ParquetTable<MiaExampleRow>.ReadAsync(Path.Combine(run, "mia_examples.parquet"), TestContext.Current.CancellationToken);
        Assert.Equal(256, examples.Count);
        // ref-clean (the target's own pool split) sits out of LiRA: every example has the 2 IN of the 4 random references.
        Assert.All(examples, e => Assert.Equal(2, e.InReferences));
        Assert.Contains(mia.Notes, n => n.Contains("ref-clean") && n.Contains("left out of LiRA"));
        foreach (var png in new[] { "roc.png", "roc-loglog.png", "audit-loss-hist.png" }) Assert.True(new FileInfo(Path.Combine(run, png)).Length > 1000, png);
        Assert.Equal(RunStatus.Complete, f.StandardScan.Run.ReadInfo().Status);
    }

    [Fact]
    public void Random_label_training_reaches_near_100_percent_train_accuracy_with_chance_test_accuracy()
    {
        var t = f.RandomLabels.Target.Training;
        output.WriteLine($"random labels: train {t.TrainAccuracy:P1}, test {t.TestAccuracy:P1}; standard: train {f.Standard.Target.Training.TrainAccuracy:P1}, test {f.Standard.Target.Training.TestAccuracy:P1}");
        Assert.True(t.TrainAccuracy >= 0.97, $"train accuracy {t.TrainAccuracy:P1}");
        Assert.InRange(t.TestAccuracy, 0.0, 0.2); // 10 classes: chance is 10%
        Assert.True(f.Standard.Target.Training.TestAccuracy > 0.5);
        Assert.Equal(1.0, f.RandomLabels.Target.Manifest.Training.RandomLabelFraction);
    }

    [Fact]
    public void Critical_sample_ratio_and_knn_disagreement_separate_the_random_label_model_from_the_real_label_model()
    {
        var real = f.StandardScan.Memorization!.Summary;
        var random = f.RandomLabelsScan.Memorization!.Summary;
        var realFeatures = f.StandardFeaturesScan.Memorization!.Summary;
        var randomFeatures = f.RandomLabelsFeaturesScan.Memorization!.Summary;
        foreach (var (name, s) in new[] { ("real labels", real), ("random labels", random), ("real labels", realFeatures), ("random labels", randomFeatures) })
            output.WriteLine($"{name,-14} on {s.EmbeddingTensor,-9}: DNN-not-kNN {s.DnnNotKnnRate:P1} (canaries {s.DnnNotKnnRateCanaries:P1}), kNN train acc {s.KnnTrainAccuracy:P1}" +
                             (s.CsrExamples > 0 ? $", CSR {s.Csr:P1} of {s.CsrExamples} at r = {s.CsrRadius}" : ""));
        output.WriteLine($"Feldman-Zhang (standard family): pool {real.FzMeanPool:F2}, mislabeled {real.FzMeanMislabeled:F2}, noise {real.FzMeanNoise:F2}");
        foreach (var (k, v) in f.Seconds) output.WriteLine($"{k}: {v:F1}s");
        Assert.True(random.DnnNotKnnRate > real.DnnNotKnnRate, $"DNN-not-kNN on the embedding: random {random.DnnNotKnnRate:P1} vs real {real.DnnNotKnnRate:P1}");
        Assert.True(randomFeatures.DnnNotKnnRate > realFeatures.DnnNotKnnRate + 0.3,
            $"DNN-not-kNN on the conv features: random {randomFeatures.DnnNotKnnRate:P1} vs real {realFeatures.DnnNotKnnRate:P1}");
        Assert.True(random.Csr > real.Csr + 0.2, $"CSR: random {random.Csr:P1} vs real {real.Csr:P1}");
        Assert.True(real.FzMeanMislabeled > real.FzMeanPool + 0.2, $"Feldman-Zhang: mislabeled {real.FzMeanMislabeled:F2} vs pool {real.FzMeanPool:F2}");
    }
}
