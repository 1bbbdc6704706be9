using System.Diagnostics;
using MemScan.Scanner;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Checkpoints;
using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Snapshots;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>The trained model and how training went; <see cref="Privacy"/> is set for DP-SGD runs.</summary>
public sealed record LmTrainingResult(CharLstmLm Model, double FinalLoss, long Steps, double Seconds, double CharsPerSecond,
    DpPlan? Privacy = null, long ResumedFromStep = 0) : ILmTrainingOutcome;

/// <summary>
/// Trains a char-level LSTM LM with Adam (AdamW when weight decay is set). Standard mode: random
/// windows of the (canary-laced) text, batch gradient clipped to <c>clip_norm</c>. DP-SGD mode: the
/// text is cut into non-overlapping sequences of seq + 1 characters — the examples DP protects —
/// batches are Poisson-sampled from them and each step is a <see cref="DpSgdOptimizer"/> step.
/// Deterministic for a seed; with <see cref="Checkpointing"/> a resumed run ends with the same
/// weights as an uninterrupted one.
/// </summary>
public static class LmTrainer
{
    public static LmTrainingResult Train(string text, CharTokenizer tokenizer, LmTrainConfig config, TextWriter? log = null,
        Checkpointing? checkpointing = null, SnapshotSchedule<CharLstmLm>? snapshots = null)
    {
        config.Validate();
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        torch.manual_seed(config.Seed);
        var model = new CharLstmLm(new CharLstmShape(tokenizer.VocabSize, config.Embedding, config.Hidden, config.Layers, config.Dropout));
        var ids = tokenizer.Encode(text).Select(i => (long)i).ToArray();
        if (ids.Length < config.SequenceLength + 2)
            throw new MemScanException($"training text has {ids.Length} characters; sequence_length {config.SequenceLength} needs at least {config.SequenceLength + 2}");
        using var optimizer = config.WeightDecay > 0
            ? (optim.Optimizer)optim.AdamW(model.parameters(), config.LearningRate, weight_decay: config.WeightDecay)
            : optim.Adam(model.parameters(), config.LearningRate);
        int t = config.SequenceLength, b = config.BatchSize, vocab = tokenizer.VocabSize;

        SequenceDpSgd? dp = null;
        if (config.Mode == LmTrainConfig.DpSgd)
        {
            dp = new SequenceDpSgd(ids, t, vocab, b, config.Steps, config.Dp!, config.Seed, model.parameters(), optimizer);
            log?.WriteLine("  " + dp.Plan);
        }
        var windows = new WindowSampler(ids, b, t, config.Seed);

        string fingerprint = config.Fingerprint(text);
        var (start, ema) = TrainingCheckpoint.StartingPoint(checkpointing, model, optimizer, fingerprint, config.Steps, "step", log);
        windows.Skip(start);

        var watch = Stopwatch.StartNew();
        var progress = new TrainingProgress(log, "", "step", config.Steps, start, (double)b * t, "chars", "nats/char");
        model.train();
        for (long step = start + 1; step <= config.Steps; step++)
        {
            using var scope = NewDisposeScope();
            // Dropout masks come from the global generator: seed it per step so a resumed run draws the same ones.
            if (config.Dropout > 0) torch.manual_seed(StepSeed.For(config.Seed, step, salt: 0xd209));
            double value = dp is null
                ? StandardStep(model, optimizer, windows.Next(), b, t, vocab, config.ClipNorm)
                : dp.Step(step, x => model.forward(x, null).Item1);
            // An empty Poisson batch has no loss to report (the step itself still happened).
            if (!double.IsNaN(value)) ema = double.IsNaN(ema) ? value : 0.95 * ema + 0.05 * value;
            // Snapshot before checkpoint: a run killed between the two rewrites this snapshot on resume, never skips it.
            if (snapshots is not null && snapshots.Due(step, config.Steps)) snapshots.Take(model, step, ema, dp?.Plan);
            if (checkpointing is not null && checkpointing.SaveAfter(step, config.Steps))
                TrainingCheckpoint.Save(checkpointing.Directory, model, optimizer, new CheckpointState(step, ema, fingerprint));
            progress.Report(step, ema);
        }
        model.eval();
        double seconds = watch.Elapsed.TotalSeconds;
        return new LmTrainingResult(model, ema, config.Steps, seconds, (config.Steps - start) * (double)b * t / Math.Max(seconds, 1e-9), dp?.Plan, start);
    }

    static double StandardStep(CharLstmLm model, optim.Optimizer optimizer, long[] window, int b, int t, int vocab, double clipNorm)
    {
        var batch = tensor(window, [b, t + 1]);
        var x = batch.narrow(1, 0, t);
        var y = batch.narrow(1, 1, t);
        optimizer.zero_grad();
        var (logits, _, _) = model.forward(x, null);
        var loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1));
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), clipNorm);
        optimizer.step();
        return loss.item<float>();
    }
}
