using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MemScan.Trainer.Checkpoints;
using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Snapshots;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>
/// Trains one <see cref="SmallCnn"/> on the given (normalized) images: Adam or AdamW over shuffled
/// mini-batches for a number of epochs, or DP-SGD (<see cref="CnnDpSgd"/>). Deterministic for a seed:
/// initial weights, batch order and dropout masks come from it. With <see cref="Checkpointing"/> the
/// standard modes save after whole epochs and a resumed run ends with the same weights as an
/// uninterrupted one (the batch order is replayed, dropout masks are seeded per step).
/// </summary>
public static class CnnTrainer
{
    public static CnnTrainingResult Train(CnnShape shape, Tensor images, long[] labels, Tensor testImages, long[] testLabels,
        CnnTrainConfig config, int seed, TextWriter? log = null, string name = "model", Checkpointing? checkpointing = null,
        SnapshotSchedule<SmallCnn>? snapshots = null)
    {
        config.Validate();
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        torch.manual_seed(seed);
        var model = new SmallCnn(shape);
        using var y = tensor(labels);
        int n = labels.Length;
        if (n == 0) throw new Scanner.MemScanException($"{name} has no training images (pool and canaries drew none)");
        string fingerprint = config.Fingerprint(name, seed, DataSha256(images, labels));
        var watch = Stopwatch.StartNew();
        var pretraining = Pretrain(model, images, shape.Classes, config, seed, log, name, checkpointing);
        double finalLoss;
        long steps;
        double imagesSeen;
        double? epsilon = null;
        string? accountant = null;
        DpPlan? privacy = null;

        if (config.Mode == CnnTrainConfig.DpSgd)
        {
            var dp = CnnDpSgd.Train(model, images, y, config, seed, log, name, checkpointing, fingerprint, snapshots);
            (finalLoss, steps, epsilon, accountant, imagesSeen, privacy) = (dp.FinalLoss, dp.Steps, dp.Epsilon, dp.Accountant, dp.ImagesSeen, dp.Plan);
        }
        else
        {
            (finalLoss, steps, imagesSeen) = TrainStandard(model, images, y, config, seed, log, name, checkpointing, fingerprint, snapshots);
        }
        model.eval();
        double seconds = watch.Elapsed.TotalSeconds;
        double trainAccuracy = Accuracy(model, images, labels);
        double testAccuracy = testLabels.Length > 0 ? Accuracy(model, testImages, testLabels) : double.NaN;
        log?.WriteLine($"  {name}: {n} images, {steps} steps in {seconds:F1}s, loss {finalLoss:F3}, train acc {trainAccuracy:P1}, test acc {testAccuracy:P1}" +
                       (epsilon is { } e ? $", epsilon {e:G4} at delta {config.Delta:G3}" : ""));
        return new CnnTrainingResult(model, finalLoss, steps, seconds, imagesSeen / Math.Max(seconds, 1e-9),
            trainAccuracy, testAccuracy, n, epsilon, accountant) { Pretraining = pretraining, Privacy = privacy };
    }

    /// <summary>
    /// Runs the random-label pre-training the config asks for and records it beside the checkpoint;
    /// a resume from a checkpoint loads weights that already went through it, so it reads that record
    /// back instead of pre-training again.
    /// </summary>
    static Scanner.Manifest.PretrainingRecord? Pretrain(SmallCnn model, Tensor images, int classes, CnnTrainConfig config, int seed,
        TextWriter? log, string name, Checkpointing? checkpointing)
    {
        if (config.Pretrain != CnnTrainConfig.RandomLabels) return null;
        if (checkpointing is { Resume: true } && File.Exists(TrainingCheckpoint.PathIn(checkpointing.Directory)))
            return PretrainingCheckpoint.Load(checkpointing.Directory, config.Epochs);
        var record = RandomLabelPretraining.Run(model, images, classes, config, seed, log, name);
        if (checkpointing is not null) PretrainingCheckpoint.Save(checkpointing.Directory, record);
        return record;
    }

    /// <summary>Adam / AdamW epochs over shuffled batches; returns the last epoch's mean loss, all steps, and the images this process trained on.</summary>
    static (double Loss, long Steps, double ImagesSeen) TrainStandard(SmallCnn model, Tensor images, Tensor y, CnnTrainConfig config, int seed,
        TextWriter? log, string name, Checkpointing? checkpointing, string fingerprint, SnapshotSchedule<SmallCnn>? snapshots)
    {
        int n = (int)y.shape[0], b = Math.Min(config.BatchSize, n);
        long stepsPerEpoch = (n + b - 1) / b;
        using optim.Optimizer optimizer = config.WeightDecay > 0
            ? optim.AdamW(model.parameters(), config.LearningRate, weight_decay: config.WeightDecay)
            : optim.Adam(model.parameters(), config.LearningRate);
        var (startEpoch, epochLoss) = TrainingCheckpoint.StartingPoint(checkpointing, model, optimizer, fingerprint, config.Epochs, "epoch", log, name);

        // The batch order is one Random stream over the epochs: a resumed run replays the shuffles it skips.
        var random = new Random(seed);
        var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        for (long e = 0; e < startEpoch; e++) random.Shuffle(order);

        var progress = new TrainingProgress(log, name, "epoch", config.Epochs, startEpoch, n, "images");
        model.train();
        for (long epoch = startEpoch + 1; epoch <= config.Epochs; epoch++)
        {
            random.Shuffle(order);
            double sum = 0;
            long step = (epoch - 1) * stepsPerEpoch;
            for (int start = 0; start < n; start += b)
            {
                using var scope = NewDisposeScope();
                // Dropout draws from the global generator: seed it per step so a resumed run draws the same masks.
                if (config.Dropout > 0) torch.manual_seed(StepSeed.For(seed, ++step, salt: 0xc4d0));
                var idx = tensor(order.AsSpan(start, Math.Min(b, n - start)).ToArray());
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(images.index_select(0, idx)), y.index_select(0, idx));
                loss.backward();
                optimizer.step();
                sum += loss.item<float>() * idx.shape[0];
            }
            epochLoss = sum / n;
            // Snapshot before checkpoint: a run killed between the two rewrites this snapshot on resume, never skips it.
            if (snapshots is not null && snapshots.Due(epoch, config.Epochs)) snapshots.Take(model, epoch, epochLoss);
            if (checkpointing is not null && checkpointing.SaveAfter(epoch, config.Epochs))
                TrainingCheckpoint.Save(checkpointing.Directory, model, optimizer, new CheckpointState(epoch, epochLoss, fingerprint));
            progress.Report(epoch, epochLoss);
        }
        return (epochLoss, config.Epochs * stepsPerEpoch, (double)(config.Epochs - startEpoch) * n);
    }

    /// <summary>SHA-256 of the training images (float32 bytes) and labels: a checkpoint resumes only onto the data it was trained on.</summary>
    static string DataSha256(Tensor images, long[] labels)
    {
        using var scope = NewDisposeScope();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(images.contiguous().data<float>().ToArray().AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(labels.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Top-1 accuracy in eval mode.</summary>
    public static double Accuracy(SmallCnn model, Tensor images, long[] labels) => Evaluate(model, images, labels).Accuracy;

    /// <summary>Top-1 accuracy and mean cross-entropy (nats) in eval mode, in batches of 512; NaN for both without labels.</summary>
    public static (double Accuracy, double Loss) Evaluate(SmallCnn model, Tensor images, long[] labels)
    {
        if (labels.Length == 0) return (double.NaN, double.NaN);
        model.eval();
        long correct = 0;
        double loss = 0;
        using (no_grad())
        {
            for (int start = 0; start < labels.Length; start += 512)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(512, labels.Length - start);
                var logits = model.forward(images.narrow(0, start, count));
                var y = tensor(labels.AsSpan(start, count).ToArray());
                correct += logits.argmax(1).eq(y).sum().item<long>();
                loss += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            }
        }
        return ((double)correct / labels.Length, loss / labels.Length);
    }
}
