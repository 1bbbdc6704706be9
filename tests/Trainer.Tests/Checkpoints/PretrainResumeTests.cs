using MemScan.Scanner.Manifest;
using MemScan.Trainer.Images;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Checkpoints;

/// <summary>
/// A run with random-label pre-training that is stopped and resumed skips the pre-training (its
/// weights come from the checkpoint) yet still records it: the resumed manifest's pretraining block
/// equals the uninterrupted run's, and the models are the same byte for byte.
/// </summary>
public class PretrainResumeTests
{
    static readonly CnnTrainConfig Tiny = new()
    {
        Pool = 64, MislabeledCanaries = 0, NoiseCanaries = 0, TestImages = 0, Epochs = 3, BatchSize = 16, LearningRate = 3e-3,
        Conv1 = 4, Conv2 = 4, Hidden = 8, Seed = 5, Threads = 1,
        Pretrain = CnnTrainConfig.RandomLabels, PretrainEpochs = 2,
    };

    [Fact]
    public void A_resumed_pre_trained_run_keeps_its_pretraining_block()
    {
        var plan = VisionExamplePlan.Load(Tiny);
        var straight = CnnPipeline.Run(Tiny, plan, TinyModels.TempDir("pretrain-straight"), TextWriter.Null);

        string dir = TinyModels.TempDir("pretrain-resume");
        CnnPipeline.Run(Tiny with { Epochs = 1, CheckpointEvery = 1 }, plan, dir, TextWriter.Null);
        var log = new StringWriter();
        var resumed = CnnPipeline.Run(Tiny with { CheckpointEvery = 1 }, plan, dir, log, resume: true);

        Assert.Contains("resumed from", log.ToString());
        Assert.DoesNotContain("pre-trained", log.ToString()); // the resumed run did not pre-train again
        Assert.Equal(straight.Target.Manifest.ModelSha256, resumed.Target.Manifest.ModelSha256);
        var block = ModelManifest.Load(resumed.Target.ManifestPath).Pretraining;
        Assert.NotNull(block);
        Assert.Equal(straight.Target.Manifest.Pretraining, block);
        Assert.Equal(3, block.FineTuneEpochs);
    }
}
