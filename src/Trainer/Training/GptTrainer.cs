using System.Diagnostics;
using MemScan.Scanner;
using MemScan.Trainer.Checkpoints;
using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Snapshots;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

public sealed record GptTrainingResult(GptLm Model, double FinalLoss, long Steps, double Seconds, double TokensPerSecond,
    DpPlan? Privacy = null, long ResumedFromStep = 0) : ILmTrainingOutcome;

/// <summary>
/// Trains a <see cref="GptLm"/> with AdamW. Standard mode: random windows of the token stream, batch
/// gradient clipped to <c>clip_norm</c>. DP-SGD mode: Poisson batches of non-overlapping sequences,
/// one <see cref="SequenceDpSgd"/> step each (per-example clipping and noise; slow, since every
/// example is its own backward pass through the 50,257-row head). Deterministic for a seed; with
/// <see cref="Checkpointing"/> a resumed run ends with the same weights as an uninterrupted one
/// (windows are replayed, dropout masks and DP batches and noise are drawn from (seed, step)).
/// </summary>
public static class GptTrainer
{
    public static GptTrainingResult Train(long[] ids, int vocab, GptTrainConfig config, TextWriter? log = null,
        Checkpointing? checkpointing = null, SnapshotSchedule<GptLm>? snapshots = null)
    {
        config.Validate();
        int t = config.SequenceLength, b = config.BatchSize;
        if (ids.Length < t + 2)
            throw new MemScanException($"the training text gives {ids.Length} tokens; sequence_length {t} needs at least {t + 2}");
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        torch.manual_seed(config.Seed);
        var model = new GptLm(config.Shape(vocab));
        using var optimizer = optim.AdamW(model.parameters(), config.LearningRate, weight_decay: config.WeightDecay);
        var windows = new WindowSampler(ids, b, t, config.Seed);
        SequenceDpSgd? dp = null;
        if (config.Mode == LmTrainConfig.DpSgd)
        {
            dp = new SequenceDpSgd(ids, t, vocab, b, config.Steps, config.Dp!, config.Seed, model.parameters(), optimizer);
            log?.WriteLine("  " + dp.Plan);
        }

        string fingerprint = config.Fingerprint(ids);
        var (start, ema) = TrainingCheckpoint.StartingPoint(checkpointing, model, optimizer, fingerprint, config.Steps, "step", log);
        windows.Skip(start);

        var watch = Stopwatch.StartNew();
        var progress = new TrainingProgress(log, "", "step", config.Steps, start, (double)b * t, "tokens", "nats/token");
        model.train();
        for (long step = start + 1; step <= config.Steps; step++)
        {
            using var scope = NewDisposeScope();
            // Dropout masks come from the global generator: seed it per step so a resumed run draws the same ones.
            if (config.Dropout > 0) torch.manual_seed(StepSeed.For(config.Seed, step, salt: 0x6d70));
            double value = dp is null
                ? StandardStep(model, optimizer, windows.Next(), b, t, vocab, config.ClipNorm)
                : dp.Step(step, x => model.Forward(x).Logits);
            // An empty Poisson batch has no loss to report (the step itself still happened).
            if (!double.IsNaN(value)) ema = double.IsNaN(ema) ? value : 0.9 * ema + 0.1 * value;
            // Snapshot before checkpoint: a run killed between the two rewrites this snapshot on resume, never skips it.
            if (snapshots is not null && snapshots.Due(step, config.Steps)) snapshots.Take(model, step, ema, dp?.Plan);
            if (checkpointing is not null && checkpointing.SaveAfter(step, config.Steps))
                TrainingCheckpoint.Save(checkpointing.Directory, model, optimizer, new CheckpointState(step, ema, fingerprint));
            progress.Report(step, ema);
        }
        model.eval();
        double seconds = watch.Elapsed.TotalSeconds;
        return new GptTrainingResult(model, ema, config.Steps, seconds, (config.Steps - start) * (double)b * t / Math.Max(seconds, 1e-9), dp?.Plan, start);
    }

    static double StandardStep(GptLm model, optim.Optimizer optimizer, long[] window, int b, int t, int vocab, double clipNorm)
    {
        var batch = tensor(window, [b, t + 1]);
        optimizer.zero_grad();
        var (logits, _) = model.Forward(batch.narrow(1, 0, t));
        var loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), batch.narrow(1, 1, t).reshape(-1));
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), clipNorm);
        optimizer.step();
        return loss.item<float>();
    }
}
