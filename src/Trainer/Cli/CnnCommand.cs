using System.CommandLine;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Cli;

/// <summary><c>memscan-train cnn</c>: train a small CNN family (target + references) with audit canaries and export it.</summary>
public static class CnnCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON training config (corpora/configs/cnn-*.json); options below override it" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "output folder for model.onnx, manifests, examples.parquet, ref-XX/", DefaultValueFactory = _ => new DirectoryInfo("models/cnn") };
        var dataset = new Option<string?>("--dataset") { Description = "fashion-mnist (default) or mnist" };
        var mode = new Option<string?>("--mode") { Description = "standard, random-labels or dp-sgd" };
        var randomLabels = new Option<double?>("--random-label-fraction") { Description = "random-labels: share of pool labels replaced by random classes" };
        var pool = new Option<int?>("--pool") { Description = "pool images; each model trains on a random half" };
        var mislabeled = new Option<int?>("--mislabeled-canaries") { Description = "mislabeled real-image canaries (each included w.p. 1/2)" };
        var noise = new Option<int?>("--noise-canaries") { Description = "random-noise canaries (each included w.p. 1/2)" };
        var testImages = new Option<int?>("--test-images") { Description = "held-out test images for accuracy" };
        var epochs = new Option<int?>("--epochs") { Description = "passes over each model's training images" };
        var batch = new Option<int?>("--batch") { Description = "images per step (DP-SGD: expected Poisson batch)" };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW decoupled weight decay (0 = Adam)" };
        var dropout = new Option<double?>("--dropout") { Description = "dropout before the last layer" };
        var hidden = new Option<int?>("--hidden") { Description = "embedding (penultimate) size" };
        var noiseMultiplier = new Option<double?>("--noise-multiplier") { Description = "dp-sgd: noise multiplier sigma" };
        var clip = new Option<double?>("--clip-norm") { Description = "dp-sgd: per-example clip norm C" };
        var delta = new Option<double?>("--delta") { Description = "dp-sgd: delta of the reported epsilon" };
        var references = new Option<int?>("--references") { Description = "reference models, each on its own random half (ref-XX/)" };
        var seed = new Option<int?>("--seed") { Description = "random seed (pool, canaries, splits, weights, batches)" };
        var threads = new Option<int?>("--threads") { Description = "torch CPU threads (0 = all)" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "save each model's checkpoint/ every N epochs" };
        var snapshotEvery = new Option<int?>("--snapshot-every") { Description = "write snapshots/EPOCH/ (model.onnx + manifest with losses and accuracies) every N epochs, for memscan trajectory" };
        var pretrain = new Option<string?>("--pretrain") { Description = "random-labels: pre-train on random labels of the same images first, then train --epochs on the true labels" };
        var pretrainEpochs = new Option<int?>("--pretrain-epochs") { Description = "epochs of random-label pre-training" };
        var pretrainHead = new Option<string?>("--pretrain-head") { Description = "new (re-initialize the last layer before fine-tuning, default) or kept" };
        var pretrainCompare = new Option<int?>("--pretrain-compare") { Description = "also train N seeds pre-trained vs from scratch (same fine-tuning epochs) and report test accuracy with 95% intervals" };
        var resume = new Option<bool>("--resume") { Description = "continue each model from its last checkpoint (finished models are not retrained)" };
        var printConfig = new Option<bool>("--print-config") { Description = "print the effective config as JSON and exit" };

        var command = new Command("cnn", "Train a small CNN classifier (and reference models) with audit canaries on Fashion-MNIST or MNIST and export it to ONNX")
        {
            config, output, dataset, mode, randomLabels, pool, mislabeled, noise, testImages, epochs, batch, lr, weightDecay, dropout, hidden,
            noiseMultiplier, clip, delta, references, seed, threads, checkpointEvery, snapshotEvery, pretrain, pretrainEpochs, pretrainHead, pretrainCompare, resume, printConfig,
        };
        command.SetAction(parsed =>
        {
            var file = parsed.GetValue(config);
            var c = file is null ? new CnnTrainConfig() : CnnTrainConfig.Load(file.FullName);
            c = c with
            {
                Dataset = parsed.GetValue(dataset) ?? c.Dataset,
                Mode = parsed.GetValue(mode) ?? c.Mode,
                RandomLabelFraction = parsed.GetValue(randomLabels) ?? c.RandomLabelFraction,
                Pool = parsed.GetValue(pool) ?? c.Pool,
                MislabeledCanaries = parsed.GetValue(mislabeled) ?? c.MislabeledCanaries,
                NoiseCanaries = parsed.GetValue(noise) ?? c.NoiseCanaries,
                TestImages = parsed.GetValue(testImages) ?? c.TestImages,
                Epochs = parsed.GetValue(epochs) ?? c.Epochs,
                BatchSize = parsed.GetValue(batch) ?? c.BatchSize,
                LearningRate = parsed.GetValue(lr) ?? c.LearningRate,
                WeightDecay = parsed.GetValue(weightDecay) ?? c.WeightDecay,
                Dropout = parsed.GetValue(dropout) ?? c.Dropout,
                Hidden = parsed.GetValue(hidden) ?? c.Hidden,
                NoiseMultiplier = parsed.GetValue(noiseMultiplier) ?? c.NoiseMultiplier,
                ClipNorm = parsed.GetValue(clip) ?? c.ClipNorm,
                Delta = parsed.GetValue(delta) ?? c.Delta,
                References = parsed.GetValue(references) ?? c.References,
                Seed = parsed.GetValue(seed) ?? c.Seed,
                Threads = parsed.GetValue(threads) ?? c.Threads,
                CheckpointEvery = parsed.GetValue(checkpointEvery) ?? c.CheckpointEvery,
                SnapshotEvery = parsed.GetValue(snapshotEvery) ?? c.SnapshotEvery,
                Pretrain = parsed.GetValue(pretrain) ?? c.Pretrain,
                PretrainEpochs = parsed.GetValue(pretrainEpochs) ?? c.PretrainEpochs,
                PretrainHead = parsed.GetValue(pretrainHead) ?? c.PretrainHead,
                PretrainCompare = parsed.GetValue(pretrainCompare) ?? c.PretrainCompare,
            };
            c.Validate();
            if (parsed.GetValue(printConfig))
            {
                Console.WriteLine(c.ToJson());
                return 0;
            }
            CnnPipeline.Run(c, parsed.GetValue(output)!.FullName, Console.Out, resume: parsed.GetValue(resume));
            return 0;
        });
        return command;
    }
}
