using MemScan.Scanner;
using MemScan.Scanner.Corpora;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Checkpoints;
using MemScan.Trainer.Images;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Checkpoints;

/// <summary>
/// The GPT and CNN trainers resume through their pipelines exactly as the char-LSTM does: a run
/// stopped early and resumed from its checkpoint writes the same model.onnx, byte for byte, as a run
/// that was never interrupted (one torch thread, one machine).
/// </summary>
public class GptCnnResumeTests
{
    static GptTrainConfig TinyGpt(int steps) => new()
    {
        Corpus = CorpusPaths.MobyDick, MaxChars = 20_000, Steps = steps, BatchSize = 4, SequenceLength = 16, Context = 32,
        Dim = 16, Layers = 1, Heads = 2, Seed = 11, Threads = 1,
        Canaries = [new CanaryPlan.Request("c8", "the vault code is {secret}\n", "digits:6", 8)],
    };

    static CnnTrainConfig TinyCnn(int epochs) => new()
    {
        Pool = 64, MislabeledCanaries = 8, NoiseCanaries = 8, TestImages = 0, Epochs = epochs, BatchSize = 16,
        LearningRate = 3e-3, Conv1 = 4, Conv2 = 8, Hidden = 16, Seed = 5, Threads = 1, References = 1,
    };

    [Fact]
    public void A_gpt_run_resumed_from_its_checkpoint_writes_the_same_model_as_an_uninterrupted_run()
    {
        var straight = GptPipeline.Run(TinyGpt(6), TinyModels.TempDir("gpt-straight"), TextWriter.Null);

        string dir = TinyModels.TempDir("gpt-resume");
        var first = GptPipeline.Run(TinyGpt(3) with { CheckpointEvery = 2 }, dir, TextWriter.Null);
        Assert.True(File.Exists(TrainingCheckpoint.PathIn(Path.Combine(dir, "checkpoint"))));
        var log = new StringWriter();
        var resumed = GptPipeline.Run(TinyGpt(6) with { CheckpointEvery = 2 }, dir, log, resume: true);

        Assert.Contains("resumed from step 3", log.ToString());
        Assert.Equal(3, resumed.Training.ResumedFromStep);
        Assert.NotEqual(first.Manifest.ModelSha256, resumed.Manifest.ModelSha256);
        Assert.Equal(straight.Manifest.ModelSha256, resumed.Manifest.ModelSha256);
        Assert.Equal(straight.Training.FinalLoss, resumed.Training.FinalLoss, 6);
    }

    void A_cnn_family_resumed_from_its_checkpoints_writes_the_same_models(CnnTrainConfig config)
    {
        var plan = VisionExamplePlan.Load(config with { Epochs = 4 });
        var straight = CnnPipeline.Run(config with { Epochs = 4 }, plan, TinyModels.TempDir("cnn-straight"), TextWriter.Null);

        string dir = TinyModels.TempDir("cnn-resume");
        var first = CnnPipeline.Run(config with { Epochs = 2, CheckpointEvery = 1 }, plan, dir, TextWriter.Null);
        var log = new StringWriter();
        var resumed = CnnPipeline.Run(config with { Epochs = 4, CheckpointEvery = 1 }, plan, dir, log, resume: true);

        // Target, reference and ref-clean each continue from their own checkpoint folder.
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(log.ToString(), "resumed from").Count);
        Assert.NotEqual(first.Target.Manifest.ModelSha256, resumed.Target.Manifest.ModelSha256);
        Assert.Equal(straight.Models.Select(m => m.Manifest.ModelSha256), resumed.Models.Select(m => m.Manifest.ModelSha256));

        // Resuming a finished family trains nothing and writes the same models again.
        var again = CnnPipeline.Run(config with { Epochs = 4, CheckpointEvery = 1 }, plan, dir, TextWriter.Null, resume: true);
        Assert.Equal(straight.Models.Select(m => m.Manifest.ModelSha256), again.Models.Select(m => m.Manifest.ModelSha256));
    }

    [Fact]
    public void A_standard_cnn_family_with_dropout_and_weight_decay_resumes_exactly() =>
        A_cnn_family_resumed_from_its_checkpoints_writes_the_same_models(TinyCnn(4) with { Dropout = 0.3, WeightDecay = 0.01 });

    [Fact]
    public void A_dp_sgd_cnn_family_resumes_exactly() =>
        A_cnn_family_resumed_from_its_checkpoints_writes_the_same_models(TinyCnn(4) with { Mode = CnnTrainConfig.DpSgd, NoiseMultiplier = 1.0, BatchSize = 16 });

    [Fact]
    public void A_cnn_checkpoint_of_another_config_is_refused_naming_the_step()
    {
        var config = TinyCnn(2) with { References = 0, CheckpointEvery = 1 };
        var plan = VisionExamplePlan.Load(config);
        string dir = TinyModels.TempDir("cnn-mismatch");
        CnnPipeline.Run(config, plan, dir, TextWriter.Null);
        var e = Assert.Throws<MemScanException>(() => CnnPipeline.Run(config with { LearningRate = 0.05 }, plan, dir, TextWriter.Null, resume: true));
        Assert.Contains("belongs to another run", e.Message);
        Assert.Contains("step 2", e.Message);
    }

    [Fact]
    public void A_checkpoint_past_the_run_length_is_refused()
    {
        string dir = TinyModels.TempDir("gpt-past");
        GptPipeline.Run(TinyGpt(4) with { CheckpointEvery = 4 }, dir, TextWriter.Null);
        var e = Assert.Throws<MemScanException>(() => GptPipeline.Run(TinyGpt(2), dir, TextWriter.Null, resume: true));
        Assert.Contains("at step 4, beyond the 2 steps asked for", e.Message);
    }
}
