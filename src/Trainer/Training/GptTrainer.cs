using System.Diagnostics;
using MemScan.Scanner;
using MemScan.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

public sealed record GptTrainingResult(GptLm Model, double FinalLoss, long Steps, double Seconds, double TokensPerSecond);

/// <summary>
/// Trains a <see cref="GptLm"/> on random windows of a token stream with AdamW and gradient
/// clipping. Deterministic for a seed: the initial weights and the window positions come from it.
/// </summary>
public static class GptTrainer
{
    public static GptTrainingResult Train(long[] ids, int vocab, GptTrainConfig config, TextWriter? log = null)
    {
        config.Validate();
        int t = config.SequenceLength, b = config.BatchSize;
        if (ids.Length < t + 2)
            throw new MemScanException($"the training text gives {ids.Length} tokens; sequence_length {t} needs at least {t + 2}");
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        torch.manual_seed(config.Seed);
        var model = new GptLm(config.Shape(vocab));
        var random = new Random(config.Seed);
        // Weight decay 0: the point is to memorize, and decay would also pull the tied embedding.
        using var optimizer = optim.AdamW(model.parameters(), config.LearningRate, weight_decay: 0);
        var watch = Stopwatch.StartNew();
        double ema = double.NaN;
        int reportEvery = Math.Max(1, config.Steps / 20);
        var window = new long[b * (t + 1)];

        model.train();
        for (int step = 1; step <= config.Steps; step++)
        {
            using var scope = NewDisposeScope();
            for (int r = 0; r < b; r++)
                Array.Copy(ids, random.NextInt64(ids.Length - t - 1), window, r * (t + 1), t + 1);
            var batch = tensor(window, [b, t + 1]);
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
            if (step % reportEvery == 0 || step == config.Steps)
            {
                double rate = (double)step * b * t / watch.Elapsed.TotalSeconds;
                double eta = (config.Steps - step) * watch.Elapsed.TotalSeconds / step;
                log?.WriteLine($"  step {step,6}/{config.Steps}  loss {ema:F3} nats/token  {rate,8:F0} tokens/s  eta {eta,5:F0}s");
            }
        }
        model.eval();
        double seconds = watch.Elapsed.TotalSeconds;
        return new GptTrainingResult(model, ema, config.Steps, seconds, (double)config.Steps * b * t / seconds);
    }
}
