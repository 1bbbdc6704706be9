using MemScan.Scanner.Manifest;
using MemScan.Trainer.Images;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Snapshots;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Snapshots;

/// <summary>
/// A DP-SGD run's snapshots each record the guarantee spent up to their own step: σ, q and δ of the
/// run, ε from the RDP accountant at that step count. ε grows with the step and the last snapshot's
/// is the finished model's.
/// </summary>
public class SnapshotPrivacyTests
{
    static ModelManifest ManifestOf(string dir, long step) => SnapshotTests.ManifestOf(dir, step);

    static long[] Steps(string dir) =>
        Directory.GetDirectories(Path.Combine(dir, SnapshotFolder.Root)).Select(d => long.Parse(Path.GetFileName(d))).Order().ToArray();

    [Fact]
    public void A_dp_sgd_language_model_snapshot_records_the_epsilon_spent_through_its_step()
    {
        string dir = TinyModels.TempDir("snap-dp-lm");
        var config = TinyModels.Config(steps: 12, hidden: 16) with
        {
            Threads = 1, SnapshotEvery = 4, BatchSize = 8, Mode = LmTrainConfig.DpSgd, Dp = new DpConfig { NoiseMultiplier = 1.0, Delta = 1e-5 },
        };
        var trained = LmPipeline.Run(config, dir, TextWriter.Null);
        var final = trained.Manifest.Training;

        Assert.Equal([4L, 8, 12], Steps(dir));
        double previous = 0;
        foreach (long step in Steps(dir))
        {
            var t = ManifestOf(dir, step).Training;
            Assert.Equal(final.NoiseMultiplier, t.NoiseMultiplier);
            Assert.Equal(final.SamplingRate, t.SamplingRate);
            Assert.Equal(1e-5, t.Delta);
            Assert.Equal(step, t.Steps);
            double expected = RdpAccountant.Epsilon(t.SamplingRate!.Value, t.NoiseMultiplier!.Value, step, 1e-5).Epsilon;
            Assert.Equal(expected, t.Epsilon!.Value, 12);
            Assert.True(t.Epsilon > previous, $"epsilon at step {step} is {t.Epsilon}, not above {previous}");
            previous = t.Epsilon.Value;
        }
        // The last snapshot is the finished model: the whole run's ε.
        Assert.Equal(final.Epsilon!.Value, previous, 12);
        Assert.Contains("rdp-sampled-gaussian", ManifestOf(dir, 4).Training.Accountant);
    }

    [Fact]
    public void A_dp_sgd_cnn_snapshot_records_sigma_q_delta_and_the_epsilon_of_its_step()
    {
        var config = new CnnTrainConfig
        {
            Pool = 64, MislabeledCanaries = 0, NoiseCanaries = 0, TestImages = 16, Epochs = 2, BatchSize = 16,
            Conv1 = 4, Conv2 = 4, Hidden = 8, Threads = 1, Seed = 3, SnapshotEvery = 1,
            Mode = CnnTrainConfig.DpSgd, NoiseMultiplier = 1.0, Delta = 1e-5,
        };
        string dir = TinyModels.TempDir("snap-dp-cnn");
        var output = CnnPipeline.Run(config, VisionExamplePlan.Load(config), dir, TextWriter.Null);

        // The target trains on its draw from the pool, 30 images: q = 16/30, an epoch is round(1.875) = 2 steps, ceil(3.75) = 4 in all.
        Assert.Equal(30, output.Target.Training.TrainImages);
        double q = 16.0 / 30;
        Assert.Equal([2L, 4], Steps(dir));
        var first = ManifestOf(dir, 2).Training;
        Assert.Equal(q, first.SamplingRate!.Value, 12);
        Assert.Equal(1.0, first.NoiseMultiplier);
        Assert.Equal(1e-5, first.Delta);
        Assert.Equal(RdpAccountant.Epsilon(q, 1.0, 2, 1e-5).Epsilon, first.Epsilon!.Value, 12);
        Assert.Equal(first.Epsilon, ManifestOf(dir, 2).Hyper["dp_epsilon"]);
        Assert.True(ManifestOf(dir, 4).Training.Epsilon > first.Epsilon);
        Assert.Equal(output.Target.Manifest.Training.Epsilon, ManifestOf(dir, 4).Training.Epsilon);
    }
}
