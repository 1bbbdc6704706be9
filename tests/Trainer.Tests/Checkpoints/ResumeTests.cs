using MemScan.Scanner;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Checkpoints;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Checkpoints;

public class ResumeTests
{
    static readonly string Text = TinyModels.ProseSample(12_000);
    static readonly CharTokenizer Tokenizer = CharTokenizer.FromText(Text);

    static float[] Weights(LmTrainingResult r) =>
        r.Model.parameters().SelectMany(p => p.detach().clone().data<float>().ToArray()).ToArray();

    void Resumed_training_ends_with_the_same_weights_as_an_uninterrupted_run(LmTrainConfig config)
    {
        var straight = LmTrainer.Train(Text, Tokenizer, config with { Steps = 20 });

        string dir = TinyModels.TempDir("resume");
        var first = LmTrainer.Train(Text, Tokenizer, config with { Steps = 10 }, null, new Checkpointing(dir, 5, Resume: false));
        Assert.True(File.Exists(TrainingCheckpoint.PathIn(dir)));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        var second = LmTrainer.Train(Text, Tokenizer, config with { Steps = 20 }, null, new Checkpointing(dir, 5, Resume: true));

        Assert.Equal(10, second.ResumedFromStep);
        // Same weights, Adam moments, batches, noise and dropout masks: bitwise equal on one machine.
        Assert.Equal(Weights(straight), Weights(second));
        Assert.Equal(straight.FinalLoss, second.FinalLoss, 6);
        Assert.NotEqual(Weights(first), Weights(second));
    }

    [Fact]
    public void Standard_mode_resumes_exactly() =>
        Resumed_training_ends_with_the_same_weights_as_an_uninterrupted_run(TinyModels.Config(hidden: 16) with { Threads = 1 });

    [Fact]
    public void DP_SGD_with_dropout_and_weight_decay_resumes_exactly() =>
        Resumed_training_ends_with_the_same_weights_as_an_uninterrupted_run(TinyModels.Config(hidden: 16) with
        {
            Threads = 1,
            BatchSize = 4,
            Mode = LmTrainConfig.DpSgd,
            Dp = new DpConfig { NoiseMultiplier = 1.0 },
            Dropout = 0.2,
            WeightDecay = 0.01,
        });


    [Fact]
    public void A_checkpoint_of_another_config_is_refused_with_both_fingerprints()
    {
        string dir = TinyModels.TempDir("resume-mismatch");
        var config = TinyModels.Config(steps: 3, hidden: 16);
        LmTrainer.Train(Text, Tokenizer, config, null, new Checkpointing(dir, 3, Resume: false));
        var e = Assert.Throws<MemScanException>(() =>
            LmTrainer.Train(Text, Tokenizer, config with { LearningRate = 0.1 }, null, new Checkpointing(dir, 3, Resume: true)));
        Assert.Contains("belongs to another run", e.Message);
        Assert.Contains("step 3", e.Message);
    }

    [Fact]
    public void A_damaged_or_truncated_checkpoint_is_refused_by_its_checksum_not_resumed()
    {
        string dir = TinyModels.TempDir("resume-damaged");
        var config = TinyModels.Config(steps: 3, hidden: 16);
        LmTrainer.Train(Text, Tokenizer, config, null, new Checkpointing(dir, 3, Resume: false));
        string path = TrainingCheckpoint.PathIn(dir);
        var good = File.ReadAllBytes(path);

        // One flipped bit deep in the weights: TorchSharp alone would load it and train on.
        var flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, flipped);
        var e = Assert.Throws<MemScanException>(() => LmTrainer.Train(Text, Tokenizer, config, null, new Checkpointing(dir, 3, Resume: true)));
        Assert.Contains("is corrupt: its SHA-256 does not match its contents", e.Message);

        File.WriteAllBytes(path, good[..(good.Length * 2 / 3)]);
        e = Assert.Throws<MemScanException>(() => LmTrainer.Train(Text, Tokenizer, config, null, new Checkpointing(dir, 3, Resume: true)));
        Assert.Contains("is corrupt", e.Message);

        File.WriteAllBytes(path, good);
        Assert.Equal(3, LmTrainer.Train(Text, Tokenizer, config, null, new Checkpointing(dir, 3, Resume: true)).ResumedFromStep);
    }
}
