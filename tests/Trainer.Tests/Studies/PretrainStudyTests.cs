using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;
using MemScan.Trainer.Images;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Studies;

/// <summary>Random-label pre-training end to end: both phases in the manifest, the comparison with its intervals, a scannable model.</summary>
public class PretrainStudyTests
{
    static readonly CnnTrainConfig Tiny = new()
    {
        Pool = 160, MislabeledCanaries = 0, NoiseCanaries = 0, TestImages = 80, Epochs = 2, BatchSize = 16, LearningRate = 3e-3,
        Conv1 = 4, Conv2 = 8, Hidden = 16, Seed = 7, Threads = 1,
        Pretrain = CnnTrainConfig.RandomLabels, PretrainEpochs = 3, PretrainCompare = 3,
    };

    [Fact]
    public void Pretraining_on_random_labels_then_fine_tuning_runs_end_to_end_and_reports_accuracy_with_its_interval()
    {
        string dir = TinyModels.TempDir("study-pretrain");
        var output = CnnPipeline.Run(Tiny, VisionExamplePlan.Load(Tiny), dir, TextWriter.Null);

        var manifest = ModelManifest.Load(output.Target.ManifestPath);
        Assert.Equal(new PretrainingRecord { Kind = "random-labels", Epochs = 3, Head = "new", FineTuneEpochs = 2,
            FinalLoss = manifest.Pretraining!.FinalLoss, TrainAccuracy = manifest.Pretraining.TrainAccuracy }, manifest.Pretraining);
        Assert.True(manifest.Pretraining.FinalLoss > 0 && manifest.Pretraining.TrainAccuracy is >= 0 and <= 1);
        // The training record is the fine-tuning phase: its steps are 2 epochs' worth.
        Assert.Equal(2 * (long)Math.Ceiling(output.Target.Training.TrainImages / 16.0), manifest.Training.Steps);

        var comparison = output.Comparison!;
        Assert.Equal(3, comparison.Seeds);
        foreach (var c in new[] { comparison.Pretrained, comparison.Scratch })
        {
            Assert.InRange(c.Estimate, 0, 1);
            Assert.True(c.Low <= c.Estimate && c.Estimate <= c.High, $"{c.Low} <= {c.Estimate} <= {c.High}");
        }
        Assert.Equal(comparison.Pretrained.Estimate - comparison.Scratch.Estimate, comparison.Difference.Estimate, 9);
        var rows = ParquetTable<PretrainComparisonRow>.ReadAsync(comparison.Path).GetAwaiter().GetResult();
        Assert.Equal(6, rows.Count);
        Assert.Equal(3, rows.Count(r => r.Arm == PretrainComparisonRow.Scratch && r.PretrainEpochs == 0 && r.FineTuneEpochs == 2));

        // The scanner's vision probes read the pre-trained model like any other.
        var scan = VisionScan.Run(new VisionScanPlan
        {
            ModelPath = output.ModelPath, RunsRoot = Path.Combine(dir, "runs"), RunId = "pretrained", Probes = ["mia"], Threads = 1,
        });
        Assert.NotNull(scan.Membership);
    }

    [Fact]
    public void The_pre_training_statistics_use_a_student_t_interval()
    {
        var c = PretrainComparison.MeanInterval([0.80, 0.82, 0.84]);
        // mean 0.82, sd 0.02, t(0.975, 2) = 4.3027: half-width 4.3027 * 0.02 / sqrt(3)
        Assert.Equal(0.82, c.Estimate, 12);
        Assert.Equal(0.82 - 4.302652729911275 * 0.02 / Math.Sqrt(3), c.Low, 9);
    }
}
