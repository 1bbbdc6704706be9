using System.Diagnostics;
using MemScan.Scanner;
using MemScan.Trainer.Checkpoints;
using MemScan.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

public sealed record GptTrainingResult(GptLm Model, double FinalLoss, long Steps, double Seconds, double TokensPerSecond,
    long ResumedFromStep = 0);

/// <summary>
/// Trains a <see cref="GptLm"/> on random windows of a token stream with AdamW and gradient
/// clipping. Deterministic for a seed: the initial weights and the window positions come from it.
/// With <see cref="Checkpointing"/> a resumed run ends with the same weights as an uninterrupted one
/// (the model has no dropout, so weights, Adam's moments and the replayed window stream are all of it).
/// </summary>
public static class GptTrainer
{
    public static GptTrainingResult Train(long[] ids, int vocab, GptTrainConfig config, TextWriter? log = null,
        Checkpointing? checkpointing = null)
    {
        config.Validate();
        int t = config.SequenceLength, b = config.BatchSize;
        if (ids.Length < t + 2)
            throw new MemScanException($"the training text gives {ids.Length} tokens; sequence_length {t} needs at least {t + 2}");
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        torch.manual_seed(config.Seed);
        var model = new GptLm(config.Shape(vocab));
        // Weight decay 0: the point is to memorize, and decay would also pull the tied embedding.
        using var optimizer = optim.AdamW(model.parameters(), config.LearningRate, weight_decay: 0);
        var windows = new WindowSampler(ids, b, t, config.Seed);

        string fingerprint = config.Fingerprint(ids);
        var (start, ema) = TrainingCheckpoint.StartingPoint(checkpointing, model, optimizer, fingerprint, config.Steps, "step", log);
        windows.Skip(start);

        var watch = Stopwatch.StartNew();
        var progress = new TrainingProgress(log, "", "step", config.Steps, start, (double)b * t, "tokens", "nats/token");
        model.train();
        for (long step = start + 1; step <= config.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = tensor(windows.Next(), [b, t + 1]);
            var x = batch.narrow(1, 0, t);
            var y = batch.narrow(1, 1, t);
            optimizer.zero_grad();
            var (logits, _) = model.Forward(x);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1));
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), config.ClipNorm);
            optimizer.step();
            double value = loss.item<float>();
            ema = double.IsNaN(ema) ? value : 0.9 * ema + 0.1 * value;
            if (checkpointing is not null && checkpointing.SaveAfter(step, config.Steps))
                TrainingCheckpoint.Save(checkpointing.Directory, model, optimizer, new CheckpointState(step, ema, fingerprint));
            progress.Report(step, ema);
        }
        model.eval();
        double seconds = watch.Elapsed.TotalSeconds;
        return new GptTrainingResult(model, ema, config.Steps, seconds, (config.Steps - start) * (double)b * t / Math.Max(seconds, 1e-9), start);
    }
}
