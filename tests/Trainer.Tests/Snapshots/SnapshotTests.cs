using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Trainer.Images;
using MemScan.Trainer.Snapshots;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Snapshots;

public class SnapshotTests
{
    internal static ModelManifest ManifestOf(string dir, long step) =>
        ModelManifest.Load(Path.Combine(SnapshotFolder.PathOf(dir, step), "model.memscan.json"));

    static string ModelSha(string dir, long step) => RunInfo.ComputeSha256(Path.Combine(SnapshotFolder.PathOf(dir, step), "model.onnx"));

    [Fact]
    public void A_language_model_run_writes_a_snapshot_every_k_steps_and_at_the_last_with_its_losses()
    {
        string dir = TinyModels.TempDir("snap-lm");
        var config = TinyModels.Config(steps: 25, hidden: 16) with { Threads = 1, SnapshotEvery = 10 };
        var trained = LmPipeline.Run(config, dir, TextWriter.Null);

        var steps = Directory.GetDirectories(Path.Combine(dir, SnapshotFolder.Root)).Select(d => long.Parse(Path.GetFileName(d))).Order().ToArray();
        Assert.Equal([10L, 20, 25], steps);
        foreach (long step in steps)
        {
            var m = ManifestOf(dir, step);
            Assert.Equal(step, m.Snapshot!.Step);
            Assert.Equal("step", m.Snapshot.Unit);
            Assert.True(m.Snapshot.TrainLoss > 0);
            // Moby-Dick has text after the training cut: the validation loss is measured on it.
            Assert.True(m.Snapshot.ValidationLoss is > 0 and < 10, $"validation loss {m.Snapshot.ValidationLoss}");
            Assert.Equal(trained.Manifest.Canaries, m.Canaries);
            Assert.NotNull(m.Samples?.Members);
        }
        Assert.True(ManifestOf(dir, 10).Snapshot!.ValidationLoss > ManifestOf(dir, 25).Snapshot!.ValidationLoss);
        // The last snapshot is the finished model, byte for byte.
        Assert.Equal(RunInfo.ComputeSha256(trained.ModelPath), ModelSha(dir, 25));
        Assert.Null(trained.Manifest.Snapshot);
    }

    [Fact]
    public void A_resumed_run_rewrites_only_the_snapshots_after_its_checkpoint_and_they_match_an_uninterrupted_run()
    {
        var config = TinyModels.Config(hidden: 16) with { Threads = 1, SnapshotEvery = 10, CheckpointEvery = 10 };
        string straight = TinyModels.TempDir("snap-straight");
        LmPipeline.Run(config with { Steps = 30 }, straight, TextWriter.Null);

        string dir = TinyModels.TempDir("snap-resume");
        LmPipeline.Run(config with { Steps = 20 }, dir, TextWriter.Null);
        var before = File.GetLastWriteTimeUtc(Path.Combine(SnapshotFolder.PathOf(dir, 10), "model.onnx"));
        Directory.CreateDirectory(Path.Combine(dir, SnapshotFolder.Root, ".30.99.tmp")); // a killed run's half-written snapshot
        LmPipeline.Run(config with { Steps = 30 }, dir, TextWriter.Null, resume: true);

        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(SnapshotFolder.PathOf(dir, 10), "model.onnx")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, SnapshotFolder.Root), ".*"));
        foreach (long step in new long[] { 10, 20, 30 })
            Assert.Equal(ModelSha(straight, step), ModelSha(dir, step));
    }

    [Fact]
    public void A_cnn_run_snapshots_every_k_epochs_with_losses_and_accuracies()
    {
        var config = new CnnTrainConfig
        {
            Pool = 64, MislabeledCanaries = 4, NoiseCanaries = 4, TestImages = 32, Epochs = 3, BatchSize = 16,
            Conv1 = 4, Conv2 = 4, Hidden = 8, Threads = 1, Seed = 3, SnapshotEvery = 2,
        };
        string dir = TinyModels.TempDir("snap-cnn");
        var output = CnnPipeline.Run(config, VisionExamplePlan.Load(config), dir, TextWriter.Null);

        Assert.Equal([2L, 3], Directory.GetDirectories(Path.Combine(dir, SnapshotFolder.Root)).Select(d => long.Parse(Path.GetFileName(d))).Order());
        var last = ManifestOf(dir, 3);
        Assert.Equal("epoch", last.Snapshot!.Unit);
        Assert.Equal(output.Target.Training.TrainAccuracy, last.Snapshot.TrainAccuracy!.Value, 9);
        Assert.Equal(output.Target.Training.TestAccuracy, last.Snapshot.ValidationAccuracy!.Value, 9);
        Assert.True(last.Snapshot.ValidationLoss > 0);
        Assert.Equal(RunInfo.ComputeSha256(output.ModelPath), ModelSha(dir, 3));
    }

    [Fact]
    public void A_gpt_run_snapshots_with_its_tokenizer_files_so_each_snapshot_scans_alone()
    {
        var config = new GptTrainConfig
        {
            Corpus = MemScan.Scanner.Corpora.CorpusPaths.MobyDick, MaxChars = 20_000, Steps = 4, BatchSize = 4, SequenceLength = 16, Context = 32,
            Dim = 16, Layers = 1, Heads = 2, Seed = 11, Threads = 1, SnapshotEvery = 2,
            Canaries = [new MemScan.Trainer.Canaries.CanaryPlan.Request("c8", "the vault code is {secret}\n", "digits:6", 8)],
        };
        string dir = TinyModels.TempDir("snap-gpt");
        var output = GptPipeline.Run(config, dir, TextWriter.Null);
        foreach (long step in new long[] { 2, 4 })
        {
            string folder = SnapshotFolder.PathOf(dir, step);
            Assert.True(File.Exists(Path.Combine(folder, GptPipeline.VocabFile)) && File.Exists(Path.Combine(folder, GptPipeline.MergesFile)));
            Assert.True(ManifestOf(dir, step).Snapshot!.ValidationLoss > 0);
        }
        Assert.Equal(RunInfo.ComputeSha256(output.ModelPath), ModelSha(dir, 4));
    }
}
